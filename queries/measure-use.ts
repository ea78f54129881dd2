import { z } from 'zod';
import { comparedColumns, fromParam, periodWindow, toParam } from './period-window.ts';
import type { OutputColumn, QueryModule } from './module.ts';
import { asOf } from './params.ts';

/** The kinds of the contract's `measures.measure`, in the order of 《刑事诉讼法》第六章. */
export const MEASURE_KINDS: readonly OutputColumn[] = [
  { name: 'summons', label: '拘传' },
  { name: 'bail', label: '取保候审' },
  { name: 'rs', label: '监视居住' },
  { name: 'rs_designated', label: '指定居所监视居住' },
  { name: 'detention', label: '刑事拘留' },
  { name: 'arrest', label: '逮捕' },
];

// The figures of one window, in output order; each appears again with _yoy (同比) and _pop (环比).
const FIGURES: readonly OutputColumn[] = [
  { name: 'summons', label: '拘传人数' },
  { name: 'detention', label: '刑事拘留人数' },
  { name: 'arrest', label: '逮捕人数' },
  { name: 'bail', label: '取保候审人数' },
  { name: 'rs', label: '监视居住人数' },
  { name: 'rs_designated', label: '指定居所监视居住人数' },
  { name: 'total', label: '合计（人次）' },
  { name: 'persons', label: '适用强制措施人数' },
];

export const measureUse: QueryModule = {
  name: 'measure-use',
  title: '强制措施适用',
  sql: 'measure-use.sql',
  params: z.strictObject({
    as_of: asOf,
    from: fromParam,
    to: toParam,
    group_by: z
      .enum(['all', 'district', 'police_unit', 'month'], {
        error: 'group_by（分组）应为 all、district、police_unit 或 month',
      })
      .default('all'),
    decided_by: z
      .enum(['公安', '检察', '法院'], { error: 'decided_by（决定机关）应为 公安、检察 或 法院' })
      .optional(),
  }),
  columns: [
    { name: 'district_code', label: '区划' },
    { name: 'police_unit', label: '办案单位' },
    { name: 'month', label: '月份' },
    ...comparedColumns(FIGURES),
  ],
  scopeColumn: 'district_code',
  caseLevel: false,
  basis:
    '京检发〔2022〕169号 第24条（强制措施适用情况通报）；《刑事诉讼法》第66–67条、第74–75条、第80–82条、第87条',
  thresholds: [],
  derive: periodWindow,
};
