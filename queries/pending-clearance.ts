import { z } from 'zod';
import type { QueryModule } from './module.ts';
import { asOf, isoDate } from './params.ts';

export const pendingClearance: QueryModule = {
  name: 'pending-clearance',
  title: '挂案清理率',
  sql: 'pending-clearance.sql',
  source: 'pending',
  params: z
    .strictObject({
      as_of: asOf,
      from: isoDate('from（期初日期）'),
      to: isoDate('to（期末日期）').optional(),
    })
    .refine((p) => p.to === undefined || p.to >= p.from, {
      error: 'to（期末日期）不能早于 from（期初日期）',
      path: ['to'],
    }),
  columns: [
    { name: 'district_code', label: '区划' },
    { name: 'flagged', label: '期初挂案数' },
    { name: 'resolved', label: '期内已结案数' },
    { name: 'clearance_rate', label: '清理率' },
    { name: 'basis', label: '依据' },
  ],
  scopeColumn: 'district_code',
  caseLevel: false,
  basis: '京检发〔2022〕169号 第5条；刑事赔偿解释(2015)第2条(二)(三)；参照《人民检察院刑事诉讼规则》第253条',
  thresholds: [
    'pending.rule_a_months',
    'pending.rule_b_months',
    'pending.rule_c_months',
    'measure.bail_months',
    'measure.rs_months',
  ],
  // the period ends at the data-as-of date unless `to` says otherwise
  derive: (p) => ({ to: (p.to as string | undefined) ?? (p.as_of as string) }),
};
