import { z } from 'zod';
import { fromParam, periodWindow, toParam } from './period-window.ts';
import type { QueryModule } from './module.ts';
import { asOf } from './params.ts';

export const minorsOneStop: QueryModule = {
  name: 'minors-one-stop',
  title: '未成年被害人一站式取证',
  sql: 'minors-one-stop.sql',
  params: z.strictObject({
    as_of: asOf,
    from: fromParam,
    to: toParam,
    view: z
      .enum(['summary', 'cases'], { error: 'view（视图）应为 summary（汇总）或 cases（未一站式取证的案件）' })
      .default('summary'),
    group_by: z
      .enum(['district', 'all'], { error: 'group_by（分组）应为 district 或 all' })
      .default('district'),
  }),
  columns: [
    { name: 'district_code', label: '区划' },
    { name: 'case_id', label: '案件编号' },
    { name: 'police_unit', label: '办案单位' },
    { name: 'charge', label: '罪名' },
    { name: 'filed_on', label: '立案日期' },
    { name: 'status', label: '情况' },
    { name: 'minor_victim_cases', label: '未成年被害人案件数' },
    { name: 'one_stop', label: '一站式取证' },
    { name: 'not_one_stop', label: '未一站式取证' },
    { name: 'not_recorded', label: '未记录' },
    { name: 'one_stop_rate', label: '一站式取证率' },
    { name: 'basis', label: '依据' },
  ],
  scopeColumn: 'district_code',
  caseLevel: true,
  basis: '京检发〔2022〕169号 第20条；《未成年人保护法》第110条',
  thresholds: [],
  derive: periodWindow,
};
