import { z } from 'zod';
import type { QueryModule } from './module.ts';
import { asOf } from './params.ts';
import { fromParam, periodWindow, toParam } from './period-window.ts';

export const decisionReasons: QueryModule = {
  name: 'decision-reasons',
  title: '不捕不诉理由构成',
  sql: 'decision-reasons.sql',
  params: z.strictObject({
    as_of: asOf,
    from: fromParam,
    to: toParam,
    group_by: z.enum(['all', 'district'], { error: 'group_by（分组）应为 all 或 district' }).default('all'),
  }),
  columns: [
    { name: 'district_code', label: '区划' },
    { name: 'decision', label: '决定' },
    { name: 'reason', label: '理由' },
    { name: 'decisions', label: '件数' },
    { name: 'decision_total', label: '该类决定合计' },
    { name: 'share', label: '占比' },
  ],
  scopeColumn: 'district_code',
  caseLevel: false,
  basis:
    '京检发〔2022〕169号 第9条、第22条；《刑事诉讼法》第81条、第175条、第177条、第282条；《人民检察院刑事诉讼规则》第139–140条',
  thresholds: [],
  derive: periodWindow,
};
