import { z } from 'zod';
import type { QueryModule } from './module.ts';
import { asOf, bool } from './params.ts';

export const pendingCases: QueryModule = {
  name: 'pending-cases',
  title: '挂案',
  sql: 'pending-cases.sql',
  params: z.strictObject({ as_of: asOf, include_warnings: bool('include_warnings').default(false) }),
  columns: [
    { name: 'case_id', label: '案件编号' },
    { name: 'suspect_id', label: '确定期限的嫌疑人' },
    { name: 'district_code', label: '区划' },
    { name: 'police_unit', label: '办案单位' },
    { name: 'charge', label: '罪名' },
    { name: 'filed_on', label: '立案日期' },
    { name: 'rule', label: '规则' },
    { name: 'deadline', label: '期限' },
    { name: 'days_over', label: '超期天数' },
    { name: 'tier', label: '等级' },
    { name: 'enterprise_related', label: '涉企' },
    { name: 'basis', label: '依据' },
  ],
  scopeColumn: 'district_code',
  caseLevel: true,
  basis: '京检发〔2022〕169号 第5条；刑事赔偿解释(2015)第2条(二)(三)；参照《人民检察院刑事诉讼规则》第253条',
  thresholds: [
    'pending.rule_a_months',
    'pending.rule_b_months',
    'pending.rule_c_months',
    'measure.bail_months',
    'measure.rs_months',
    'pending.severe_days',
    'pending.warning_days',
  ],
  source: 'pending',
};
