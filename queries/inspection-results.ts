import { z } from 'zod';
import type { QueryModule } from './module.ts';
import { asOf } from './params.ts';

export const inspectionResults: QueryModule = {
  name: 'inspection-results',
  title: '专项检查结果',
  sql: 'inspection-results.sql',
  params: z.strictObject({
    as_of: asOf,
    campaign: z.string().min(1, { error: 'campaign（专项检查编号）不能为空' }).optional(),
    group_by: z
      .enum(['campaign', 'district'], { error: 'group_by（分组）应为 campaign 或 district（按检查、按区）' })
      .default('campaign'),
  }),
  columns: [
    { name: 'inspection_campaign_id', label: '专项检查编号' },
    { name: 'name', label: '专项检查' },
    { name: 'topic', label: '主题' },
    { name: 'start_on', label: '开始日期' },
    { name: 'end_on', label: '结束日期' },
    { name: 'district_code', label: '区划' },
    { name: 'matched', label: '纳入案件数' },
    { name: 'checked', label: '已检查' },
    { name: 'checked_share', label: '检查进度' },
    { name: 'no_problem', label: '无问题' },
    { name: 'with_problem', label: '有问题' },
    { name: 'problem_share', label: '问题发现率' },
    { name: 'police_problem', label: '公安责任' },
    { name: 'procuratorate_problem', label: '检察责任' },
    { name: 'unattributed_problem', label: '责任未明' },
    { name: 'rectified', label: '已整改' },
    { name: 'rectified_share', label: '整改率' },
    { name: 'open_problem', label: '未整改' },
    { name: 'basis', label: '依据' },
  ],
  scopeColumn: 'district_code',
  caseLevel: false,
  basis: '京检发〔2022〕169号 第9条',
  thresholds: [],
  derive: (p) => ({ campaign: (p.campaign as string | undefined) ?? null }),
};
