import { z } from 'zod';
import type { QueryModule } from './module.ts';
import { asOf } from './params.ts';

export const measureOverruns: QueryModule = {
  name: 'measure-overruns',
  title: '强制措施超期',
  sql: 'measure-overruns.sql',
  params: z.strictObject({ as_of: asOf }),
  columns: [
    { name: 'kind', label: '类型' },
    { name: 'measure', label: '强制措施' },
    { name: 'measure_id', label: '措施编号' },
    { name: 'decision_id', label: '决定编号' },
    { name: 'suspect_id', label: '嫌疑人编号' },
    { name: 'case_id', label: '案件编号' },
    { name: 'district_code', label: '区划' },
    { name: 'police_unit', label: '办案单位' },
    { name: 'start_on', label: '开始日期' },
    { name: 'limit_on', label: '期限届满日' },
    { name: 'end_on', label: '解除（截止）日期' },
    { name: 'days_over', label: '超期天数' },
    { name: 'returns', label: '退回补充侦查次数' },
    { name: 'basis', label: '依据' },
  ],
  scopeColumn: 'district_code',
  caseLevel: true,
  basis: '《刑事诉讼法》第79条、第91条、第156条、第158条、第159条、第175条',
  thresholds: [
    'measure.bail_months',
    'measure.rs_months',
    'measure.arrest_custody_months',
    'measure.detention_days',
    'measure.max_returns',
  ],
};
