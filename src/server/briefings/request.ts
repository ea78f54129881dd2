import { z } from 'zod';
import { findModule } from '../../../queries/registry.ts';
import { parseParams } from '../../../queries/run.ts';
import { UserError } from '../../db/errors.ts';

/** What a briefing is asked for (POST /api/v1/briefings, `zhenjian briefing`): the module's parameters and a format. */
export interface BriefingRequest {
  period: string;
  level: '市级' | '区级';
  district?: string;
  format: 'pdf' | 'xlsx';
}

export const briefingBody = z.strictObject({
  period: z.string({ error: 'period（期间）应为 2025、2025Q1 或 2025-03 这样的文字' }).max(10),
  level: z.enum(['市级', '区级'], { error: 'level（层级）应为 市级 或 区级' }).default('市级'),
  district: z
    .string({ error: 'district（区划代码）应为 6 位数字' })
    .regex(/^\d{6}$/, { error: 'district（区划代码）应为 6 位数字' })
    .optional(),
  format: z.enum(['pdf', 'xlsx'], { error: 'format（格式）应为 pdf 或 xlsx' }),
});

/** A request body → a BriefingRequest, or a UserError (exit 2 / HTTP 400) naming the field and why. */
export function parseBriefingRequest(input: unknown): BriefingRequest {
  const parsed = briefingBody.safeParse(input);
  if (!parsed.success) {
    const msgs = parsed.error.issues.map((i) =>
      i.code === 'unrecognized_keys' ? `没有参数 ${i.keys.join('、')}` : `${i.path.join('.')}：${i.message}`,
    );
    throw new UserError(`情况通报的参数有误：${msgs.join('；')}。`, 'Bad briefing parameters.', 2);
  }
  const r = parsed.data;
  // 市级 covers the whole scope: a district named with it would be ignored silently, so it is refused
  if (r.level === '市级' && r.district !== undefined)
    throw new UserError(
      '市级情况通报不接受 district：区的情况通报请选 区级。',
      'district only goes with level 区级.',
      2,
    );
  // the module's own validation (period format, 区级 needs a district), before anything is rendered
  parseParams(findModule('briefing')!, moduleParams(r));
  return r;
}

/** The `briefing` module's parameters of a request. */
export function moduleParams(r: BriefingRequest): Record<string, string> {
  return { period: r.period, level: r.level, ...(r.district ? { district: r.district } : {}) };
}

/** 情况通报-2025Q1.pdf, 情况通报-2025Q1-110105.xlsx; the ASCII fallback for old clients says the same in English. */
export function briefingFileName(r: BriefingRequest): { name: string; ascii: string } {
  const tail = `${r.period}${r.district ? `-${r.district}` : ''}.${r.format}`;
  return { name: `情况通报-${tail}`, ascii: `briefing-${tail}` };
}
