import { z } from 'zod';
import { fromParam, periodWindow, toParam } from './period-window.ts';
import type { QueryModule } from './module.ts';
import { asOf } from './params.ts';

export const caseFilings: QueryModule = {
  name: 'case-filings',
  title: '刑事立案',
  sql: 'case-filings.sql',
  params: z.strictObject({
    as_of: asOf,
    from: fromParam,
    to: toParam,
    group_by: z
      .enum(['all', 'district', 'police_unit', 'charge', 'chapter', 'month'], {
        error: 'group_by（分组）应为 all、district、police_unit、charge、chapter 或 month',
      })
      .default('all'),
  }),
  columns: [
    { name: 'district_code', label: '区划' },
    { name: 'police_unit', label: '办案单位' },
    { name: 'charge', label: '罪名' },
    { name: 'chapter_no', label: '刑法分则章' },
    { name: 'chapter', label: '章名' },
    { name: 'month', label: '月份' },
    { name: 'filed', label: '立案数' },
    { name: 'enterprise_related', label: '涉企' },
    { name: 'major_case', label: '重大疑难复杂' },
  ],
  scopeColumn: 'district_code',
  caseLevel: false,
  basis: '京检发〔2022〕169号 第22条、第24条（联席会议与情况通报的立案统计）',
  thresholds: [],
  derive: periodWindow,
};
