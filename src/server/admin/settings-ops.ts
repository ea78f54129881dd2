import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import { refreshMarts } from '../../../queries/marts.ts';
import { THRESHOLDS, type ThresholdDef, type ThresholdKey } from '../../../queries/thresholds.ts';
import { UserError } from '../../db/errors.ts';
import { all, one, run, transaction } from '../../db/sql.ts';
import { MAX_IDLE_MINUTES } from '../auth/sessions.ts';

/**
 * Administrator settings (spec/api.md `GET/PATCH /settings`): the rule thresholds (table `thresholds`, read by
 * every module run) and a few options kept as JSON text in the `settings` table beside data_as_of.
 */

/** Whole numbers only: a deadline of 7.5 days has no meaning in the rules; the ranges stop typing slips. */
export const THRESHOLD_RANGES: Record<ThresholdDef['unit'], { min: number; max: number; label: string }> = {
  day: { min: 1, max: 3650, label: '天' },
  month: { min: 1, max: 120, label: '个月' },
  hour: { min: 1, max: 720, label: '小时' },
  count: { min: 1, max: 100, label: '次' },
};

export const OPTIONS = {
  'auth.totp_required_privileged': {
    label: '系统管理员和审计员须使用动态口令（TOTP）登录',
    schema: z.boolean({ error: '应为 true 或 false' }),
    default: false as boolean,
  },
  'security.marking': {
    label: '密级标识（页面、导出文件和简报上显示）',
    schema: z
      .string({ error: '应为文字' })
      .trim()
      .min(1, { error: '不能为空' })
      .max(40, { error: '最多 40 个字' }),
    default: '内部资料 注意保密' as string,
  },
  'session.idle_minutes': {
    label: '会话空闲超时（分钟）',
    schema: z
      .number({ error: '应为数字' })
      .int({ error: '应为整数' })
      .min(1, { error: '至少 1 分钟' })
      .max(MAX_IDLE_MINUTES, { error: `最多 ${MAX_IDLE_MINUTES} 分钟` }),
    default: 15 as number,
  },
} as const;
export type OptionKey = keyof typeof OPTIONS;
export type Options = { [K in OptionKey]: (typeof OPTIONS)[K]['default'] };

const thresholdKeys = () => Object.keys(THRESHOLDS) as ThresholdKey[];

function thresholdSchema(key: ThresholdKey) {
  const d = THRESHOLDS[key] as ThresholdDef;
  const r = THRESHOLD_RANGES[d.unit];
  const msg = `${d.label}应为 ${r.min}–${r.max} 之间的整数（单位：${r.label}）`;
  return z.number({ error: msg }).int({ error: msg }).min(r.min, { error: msg }).max(r.max, { error: msg });
}

/** The PATCH body: any subset of thresholds and options; unknown keys are refused by name. */
export function settingsPatchSchema() {
  const t = Object.fromEntries(thresholdKeys().map((k) => [k, thresholdSchema(k).optional()]));
  const o = Object.fromEntries(
    (Object.keys(OPTIONS) as OptionKey[]).map((k) => [k, OPTIONS[k].schema.optional()]),
  );
  return z
    .strictObject({
      thresholds: z.strictObject(t).optional(),
      options: z.strictObject(o).optional(),
    })
    .refine((b) => Object.keys(b.thresholds ?? {}).length + Object.keys(b.options ?? {}).length > 0, {
      error: '请至少修改一项阈值或选项',
    });
}
export type SettingsPatch = {
  thresholds?: Partial<Record<ThresholdKey, number>>;
  options?: Partial<Options>;
};

export function parseSettingsPatch(input: unknown): SettingsPatch {
  const parsed = settingsPatchSchema().safeParse(input);
  if (!parsed.success) {
    const msgs = parsed.error.issues.map((i) => {
      if (i.code === 'unrecognized_keys')
        return `${[...i.path, ''].join('.')}${i.keys.join('、')}：没有这一项`;
      return `${i.path.join('.') || '设置'}：${i.message}`;
    });
    throw new UserError(`设置有误：${msgs.join('；')}。`, 'Bad settings.', 2);
  }
  return parsed.data as SettingsPatch;
}

/** Stored options over their defaults; a stored value that no longer validates falls back to the default. */
export async function readOptions(conn: DuckDBConnection): Promise<Options & { stored: OptionKey[] }> {
  const rows = await all<{ key: string; value: string }>(
    conn,
    'SELECT key, value FROM settings WHERE list_contains($keys, key)',
    { keys: Object.keys(OPTIONS) },
  );
  const out = Object.fromEntries(
    (Object.keys(OPTIONS) as OptionKey[]).map((k) => [k, OPTIONS[k].default]),
  ) as Options;
  const stored: OptionKey[] = [];
  for (const r of rows) {
    const key = r.key as OptionKey;
    let value: unknown;
    try {
      value = JSON.parse(r.value);
    } catch {
      continue;
    }
    const ok = OPTIONS[key].schema.safeParse(value);
    if (ok.success) {
      (out as Record<OptionKey, unknown>)[key] = ok.data;
      stored.push(key);
    }
  }
  return { ...out, stored };
}

/** Read at each sign-in, so turning the option on applies to the next sign-in without a restart. */
export async function totpRequiredForPrivileged(conn: DuckDBConnection): Promise<boolean> {
  return (await readOptions(conn))['auth.totp_required_privileged'];
}

/** Why an admin or auditor without TOTP is refused while the option is on, and what to do about it. */
export const totpEnrolmentRequired = (username: string) =>
  `系统已要求系统管理员和审计员使用动态口令登录，您的账户尚未绑定动态口令：请系统管理员运行 zhenjian users totp --username ${username} 为您绑定后再登录。`;

export interface SettingsView {
  thresholds: {
    key: ThresholdKey;
    value: number;
    default: number;
    unit: ThresholdDef['unit'];
    unit_label: string;
    min: number;
    max: number;
    label: string;
    basis: string;
    updated_at: string | null;
  }[];
  options: { key: OptionKey; value: unknown; default: unknown; label: string }[];
}

/** `idleDefault`: the server's configured idle timeout, shown when no administrator has set one. */
export async function readSettings(conn: DuckDBConnection, idleDefault?: number): Promise<SettingsView> {
  const rows = await all<{ key: string; value: number; updated_at: string }>(
    conn,
    "SELECT key, value, strftime(updated_at, '%Y-%m-%d %H:%M:%S') AS updated_at FROM thresholds",
  );
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const options = await readOptions(conn);
  return {
    thresholds: thresholdKeys().map((key) => {
      const d = THRESHOLDS[key] as ThresholdDef;
      const r = THRESHOLD_RANGES[d.unit];
      const row = byKey.get(key);
      return {
        key,
        value: row?.value ?? d.value,
        default: d.value,
        unit: d.unit,
        unit_label: r.label,
        min: r.min,
        max: r.max,
        label: d.label,
        basis: d.basis,
        updated_at: row?.updated_at ?? null,
      };
    }),
    options: (Object.keys(OPTIONS) as OptionKey[]).map((key) => {
      let value: unknown = options[key];
      if (key === 'session.idle_minutes' && !options.stored.includes(key) && idleDefault !== undefined)
        value = idleDefault;
      return { key, value, default: OPTIONS[key].default, label: OPTIONS[key].label };
    }),
  };
}

export interface SettingsChange {
  /** `key: old→new` for each value that changed (the audit detail: no personal data here) */
  changes: string[];
  options: Partial<Options>;
  /** seconds the mart rebuild took, when a threshold changed and data exists */
  mart_refresh_seconds: number | null;
  /** why the rebuild failed, for the server log (never sent to the client) */
  mart_refresh_error?: string;
}

/**
 * Writes the changed values in one transaction, then rebuilds the marts: modules read thresholds at every run and
 * a mart whose fingerprint no longer matches is never used (queries/marts.ts), so the rebuild is for speed only —
 * without it the next query would still be right, computed on the fly.
 */
export async function updateSettings(conn: DuckDBConnection, patch: SettingsPatch): Promise<SettingsChange> {
  const before = await readSettings(conn);
  const changes: string[] = [];
  const thresholdsChanged: [ThresholdKey, number][] = [];
  for (const [k, v] of Object.entries(patch.thresholds ?? {}) as [ThresholdKey, number][]) {
    const old = before.thresholds.find((t) => t.key === k)!.value;
    if (old !== v) {
      thresholdsChanged.push([k, v]);
      changes.push(`${k}: ${old}→${v}`);
    }
  }
  const optionsChanged: Partial<Options> = {};
  const current = await readOptions(conn);
  for (const [k, v] of Object.entries(patch.options ?? {}) as [OptionKey, unknown][]) {
    if (current[k] !== v || !current.stored.includes(k)) {
      (optionsChanged as Record<string, unknown>)[k] = v;
      if (current[k] !== v) changes.push(`${k}: ${JSON.stringify(current[k])}→${JSON.stringify(v)}`);
    }
  }
  await transaction(conn, async () => {
    for (const [k, v] of thresholdsChanged) {
      const d = THRESHOLDS[k] as ThresholdDef;
      await run(
        conn,
        `INSERT INTO thresholds VALUES ($k, $v, $u, $l, $b, now()::TIMESTAMP)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        { k, v, u: d.unit, l: d.label, b: d.basis },
      );
    }
    for (const [k, v] of Object.entries(optionsChanged)) {
      await run(
        conn,
        `INSERT INTO settings VALUES ($k, $v, now()::TIMESTAMP)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        { k, v: JSON.stringify(v) },
      );
    }
  });
  let mart_refresh_seconds: number | null = null;
  let mart_refresh_error: string | undefined;
  if (thresholdsChanged.length > 0) {
    const hasData = await one<{ n: number }>(conn, 'SELECT count(*) AS n FROM cases');
    try {
      if (hasData!.n > 0) mart_refresh_seconds = (await refreshMarts(conn)).seconds;
    } catch (err) {
      // the values are saved; a mart that could not be rebuilt (e.g. a load writing at the same moment) is simply
      // not used until the next refresh, so the answer stays right, only slower
      mart_refresh_error = err instanceof Error ? err.message : String(err);
    }
  }
  return { changes, options: optionsChanged, mart_refresh_seconds, mart_refresh_error };
}
