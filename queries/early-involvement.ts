import { z } from 'zod';
import { fromParam, periodWindow, toParam } from './period-window.ts';
import type { QueryModule } from './module.ts';
import { asOf } from './params.ts';

export const earlyInvolvement: QueryModule = {
  name: 'early-involvement',
  title: '提前介入及谁介入谁办案',
  sql: 'early-involvement.sql',
  params: z.strictObject({
    as_of: asOf,
    from: fromParam,
    to: toParam,
    view: z
      .enum(['summary', 'breaks'], {
        error: 'view（视图）应为 summary（汇总）或 breaks（未落实谁介入谁办案的案件）',
      })
      .default('summary'),
    group_by: z
      .enum(['district', 'all'], { error: 'group_by（分组）应为 district 或 all' })
      .default('district'),
  }),
  columns: [
    { name: 'district_code', label: '区划' },
    { name: 'case_id', label: '案件编号' },
    { name: 'police_unit', label: '办案单位' },
    { name: 'filed_on', label: '立案日期' },
    { name: 'major_case', label: '重大疑难复杂' },
    { name: 'involved_on', label: '提前介入日期' },
    { name: 'involved_by', label: '介入检察官' },
    { name: 'prosecutors', label: '承办检察官' },
    { name: 'major_cases', label: '重大疑难复杂案件数' },
    { name: 'involved_major', label: '其中提前介入' },
    { name: 'involvement_rate', label: '提前介入率' },
    { name: 'involved', label: '提前介入案件数' },
    { name: 'reached', label: '已进入审查逮捕或审查起诉' },
    { name: 'continuous', label: '谁介入谁办案' },
    { name: 'continuity_rate', label: '谁介入谁办案落实率' },
    { name: 'basis', label: '依据' },
  ],
  scopeColumn: 'district_code',
  caseLevel: true,
  basis: '京检发〔2022〕169号 第10–13条；《人民检察院刑事诉讼规则》第256条',
  thresholds: [],
  derive: periodWindow,
};
