import { z } from 'zod';
import { fromParam, periodWindow, toParam } from './period-window.ts';
import type { QueryModule } from './module.ts';
import { asOf, district } from './params.ts';

const DECISIONS = ['不批准逮捕', '不起诉'] as const;

export const reviewSample: QueryModule = {
  name: 'review-sample',
  title: '不捕不诉案件联合评查抽样',
  sql: 'review-sample.sql',
  params: z.strictObject({
    as_of: asOf,
    from: fromParam,
    to: toParam,
    size: z.coerce
      .number({ error: 'size（抽取数量）应为正整数' })
      .int({ error: 'size（抽取数量）应为正整数' })
      .min(1, { error: 'size（抽取数量）应为正整数' })
      .max(100_000, { error: 'size（抽取数量）过大' })
      .default(30),
    // the seed is stored with the campaign (review_campaigns.seed): required, so that a draw is never unrepeatable
    seed: z.coerce
      .number({ error: 'seed（随机种子）应为非负整数' })
      .int({ error: 'seed（随机种子）应为非负整数' })
      .min(0, { error: 'seed（随机种子）应为非负整数' })
      .max(Number.MAX_SAFE_INTEGER, { error: 'seed（随机种子）过大' }),
    district,
    // a list, or text such as 不批准逮捕,不起诉 (CLI and query strings)
    decision: z
      .preprocess(
        (v) => (typeof v === 'string' ? v.split(/[,，、]/).map((s) => s.trim()) : v),
        z
          .array(z.enum(DECISIONS, { error: 'decision（决定类型）应为 不批准逮捕 或 不起诉' }))
          .min(1, { error: 'decision（决定类型）至少一项' }),
      )
      .optional(),
  }),
  columns: [
    { name: 'decision_id', label: '决定编号' },
    { name: 'case_id', label: '案件编号' },
    { name: 'suspect_id', label: '嫌疑人编号' },
    { name: 'district_code', label: '区划' },
    { name: 'decision', label: '决定' },
    { name: 'reason', label: '决定理由' },
    { name: 'decided_on', label: '决定日期' },
    { name: 'stratum', label: '层（区）' },
    { name: 'draw_rank', label: '层内抽取序号' },
    { name: 'draw_key', label: '抽取键 sha256(种子:决定编号)' },
    { name: 'stratum_population', label: '层内总体数' },
    { name: 'stratum_sample', label: '层内样本数' },
    { name: 'population_count', label: '总体数' },
    { name: 'sample_size', label: '样本数' },
    { name: 'whole_population', label: '全部抽取' },
    { name: 'basis', label: '依据' },
  ],
  scopeColumn: 'district_code',
  caseLevel: true,
  basis: '京检发〔2022〕169号 第9条',
  thresholds: [],
  derive: (p) => ({
    ...periodWindow(p),
    seed_key: String(p.seed),
    // two flags rather than a list: derived values are scalars
    with_non_arrest: ((p.decision as string[] | undefined) ?? DECISIONS).includes('不批准逮捕'),
    with_non_prosecution: ((p.decision as string[] | undefined) ?? DECISIONS).includes('不起诉'),
    district: (p.district as string | undefined) ?? null,
  }),
};
