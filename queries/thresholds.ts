import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import { all, run } from '../src/db/sql.ts';

export interface ThresholdDef {
  value: number;
  unit: 'day' | 'month' | 'hour' | 'count';
  label: string;
  basis: string;
}

/**
 * Defaults of every threshold in spec/rules.md. An administrator may change the values (the settings API); the
 * outputs name the values they used. Keys are stable identifiers.
 */
export const THRESHOLDS = {
  'pending.rule_a_months': {
    value: 12,
    unit: 'month',
    label: '挂案规则A：最后一项强制措施解除后',
    basis: '最高法、最高检《关于办理刑事赔偿案件适用法律若干问题的解释》(2015) 第2条(二)',
  },
  'pending.rule_b_months': {
    value: 12,
    unit: 'month',
    label: '挂案规则B：取保候审、监视居住期限届满后',
    basis: '最高法、最高检《关于办理刑事赔偿案件适用法律若干问题的解释》(2015) 第2条(三)',
  },
  'pending.rule_c_months': {
    value: 24,
    unit: 'month',
    label: '挂案规则C：立案后未采取强制措施（假定值，可配置）',
    basis: '参照《人民检察院刑事诉讼规则》第253条',
  },
  'pending.severe_days': {
    value: 365,
    unit: 'day',
    label: '严重挂案：超过期限',
    basis: '京检发〔2022〕169号 第5条',
  },
  'pending.warning_days': {
    value: 90,
    unit: 'day',
    label: '挂案预警：期限届满前',
    basis: '京检发〔2022〕169号 第5条',
  },
  'measure.bail_months': {
    value: 12,
    unit: 'month',
    label: '取保候审最长期限',
    basis: '《刑事诉讼法》第79条',
  },
  'measure.rs_months': { value: 6, unit: 'month', label: '监视居住最长期限', basis: '《刑事诉讼法》第79条' },
  'measure.arrest_custody_months': {
    value: 2,
    unit: 'month',
    label: '逮捕后侦查羁押期限',
    basis: '《刑事诉讼法》第156条',
  },
  'measure.detention_days': {
    value: 37,
    unit: 'day',
    label: '刑事拘留最长（30日提请批捕 + 7日审查）',
    basis: '《刑事诉讼法》第91条',
  },
  'measure.max_returns': {
    value: 2,
    unit: 'count',
    label: '退回补充侦查最多次数',
    basis: '《刑事诉讼法》第175条',
  },
  'reply.correction_notice_days': {
    value: 15,
    unit: 'day',
    label: '纠正违法通知书回复期限（通知书可另定）',
    basis: '《人民检察院刑事诉讼规则》第553条（默认值为假定）',
  },
  'reply.recommendation_months': {
    value: 2,
    unit: 'month',
    label: '检察建议回复期限',
    basis: '《人民检察院检察建议工作规定》(2019)',
  },
  'reply.explain_reason_days': {
    value: 7,
    unit: 'day',
    label: '要求说明理由回复期限',
    basis: '《人民检察院刑事诉讼规则》第560条；《公安机关办理刑事案件程序规定》第182条',
  },
  'reply.notify_filing_days': {
    value: 15,
    unit: 'day',
    label: '通知立案后立案期限',
    basis: '《人民检察院刑事诉讼规则》第563–564条',
  },
  'reply.notify_withdrawal_days': {
    value: 15,
    unit: 'day',
    label: '通知撤案后撤案期限',
    basis: '《人民检察院刑事诉讼规则》第565条',
  },
  'filing.urge_months': {
    value: 3,
    unit: 'month',
    label: '监督立案后未侦查终结、可发立案监督案件催办函的月数',
    basis: '《人民检察院刑事诉讼规则》第564条第3款',
  },
  'filing.non_arrest_withdrawal_days': {
    value: 15,
    unit: 'day',
    label: '因不构成犯罪不批准逮捕后撤案、终止侦查或要求复议期限',
    basis: '《人民检察院刑事诉讼规则》第287条第3款',
  },
  'objection.arrest_recon_days': {
    value: 7,
    unit: 'day',
    label: '不批准逮捕复议决定期限',
    basis: '《刑事诉讼法》第92条；《人民检察院刑事诉讼规则》第290条',
  },
  'objection.arrest_upper_review_days': {
    value: 15,
    unit: 'day',
    label: '不批准逮捕复核决定期限',
    basis: '《人民检察院刑事诉讼规则》第291条',
  },
  'objection.prosecution_recon_days': {
    value: 30,
    unit: 'day',
    label: '不起诉复议决定期限',
    basis: '《刑事诉讼法》第179条；《人民检察院刑事诉讼规则》第379条',
  },
  'objection.prosecution_upper_review_days': {
    value: 30,
    unit: 'day',
    label: '不起诉复核决定期限',
    basis: '《人民检察院刑事诉讼规则》第380条',
  },
  'objection.withdrawal_recon_days': {
    value: 7,
    unit: 'day',
    label: '通知撤案复议决定期限',
    basis: '《人民检察院刑事诉讼规则》第565条',
  },
  'objection.withdrawal_upper_review_days': {
    value: 15,
    unit: 'day',
    label: '通知撤案复核决定期限',
    basis: '《人民检察院刑事诉讼规则》第565条',
  },
  'objection.recheck_days': {
    value: 7,
    unit: 'day',
    label: '纠正意见复查决定期限',
    basis: '《人民检察院刑事诉讼规则》第554条',
  },
  'levels.repeat_window_days': {
    value: 365,
    unit: 'day',
    label: '升格例外：此前同单位同类问题的回溯天数',
    basis: '京检发〔2022〕169号 第6条',
  },
  'levels.repeat_min': {
    value: 2,
    unit: 'count',
    label: '升格例外：此前同类问题最少次数',
    basis: '京检发〔2022〕169号 第6条',
  },
  'fast_track.hours': {
    value: 48,
    unit: 'hour',
    label: '速裁案件全流程时限',
    basis: '京检发〔2022〕169号 第19条',
  },
  'data_flow.event_late_hours': {
    value: 24,
    unit: 'hour',
    label: '流程节点推送迟延阈值',
    basis: '京检发〔2022〕169号 第25条',
  },
  'data_flow.record_late_days': {
    value: 1,
    unit: 'day',
    label: '决定、监督记录推送迟延阈值',
    basis: '京检发〔2022〕169号 第25条',
  },
  // M-41's "> 1 day" alert is marked UNVERIFIED in domain-research.md (no statutory limit; practice is same-day)
  'receipt.late_days': {
    value: 1,
    unit: 'day',
    label: '受理迟延：提请批准逮捕、移送审查起诉后超过（预警值，未经核实，可配置）',
    basis: '京检发〔2022〕169号 第15条（M-41 预警阈值）',
  },
} as const satisfies Record<string, ThresholdDef>;

export type ThresholdKey = keyof typeof THRESHOLDS;

/** A value an administrator sets: positive, whole for days, months and counts. */
export const thresholdValue = z
  .number({ error: '阈值必须是数字' })
  .positive({ error: '阈值必须大于 0' })
  .max(10_000, { error: '阈值过大' });

/** Adds thresholds missing from the table with their defaults; never overwrites a value an administrator set. */
export async function ensureThresholds(conn: DuckDBConnection): Promise<void> {
  const keys = Object.keys(THRESHOLDS) as ThresholdKey[];
  await run(
    conn,
    `INSERT INTO thresholds
     SELECT k, v, u, l, b, now()::TIMESTAMP FROM (SELECT unnest($k) AS k, unnest($v)::DOUBLE AS v, unnest($u) AS u, unnest($l) AS l, unnest($b) AS b)
     WHERE k NOT IN (SELECT key FROM thresholds)`,
    {
      k: keys,
      v: keys.map((k) => String(THRESHOLDS[k].value)),
      u: keys.map((k) => THRESHOLDS[k].unit),
      l: keys.map((k) => THRESHOLDS[k].label),
      b: keys.map((k) => THRESHOLDS[k].basis),
    },
  );
}

export async function readThresholds(conn: DuckDBConnection): Promise<Record<ThresholdKey, number>> {
  const rows = await all<{ key: ThresholdKey; value: number }>(conn, 'SELECT key, value FROM thresholds');
  const out = Object.fromEntries(Object.entries(THRESHOLDS).map(([k, d]) => [k, d.value])) as Record<
    ThresholdKey,
    number
  >;
  for (const r of rows) if (r.key in out) out[r.key] = r.value;
  return out;
}
