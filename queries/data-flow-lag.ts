import { z } from 'zod';
import type { QueryModule } from './module.ts';
import { asOf, isoDate } from './params.ts';

export const dataFlowLag: QueryModule = {
  name: 'data-flow-lag',
  title: '数据推送时效',
  sql: 'data-flow-lag.sql',
  params: z.strictObject({
    as_of: asOf,
    from: isoDate('from（起始日期）').nullable().default(null),
    level: z
      .enum(['summary', 'detail'], { error: 'level（层级）应为 summary（汇总）或 detail（明细）' })
      .default('summary'),
  }),
  columns: [
    { name: 'source', label: '数据类别' },
    { name: 'record_id', label: '记录编号' },
    { name: 'case_id', label: '案件编号' },
    { name: 'district_code', label: '区划' },
    { name: 'police_unit', label: '办案单位' },
    { name: 'item', label: '节点或决定' },
    { name: 'occurred_at', label: '发生时间' },
    { name: 'occurred_on', label: '发生日期' },
    { name: 'recorded_at', label: '推送时间' },
    { name: 'lag_hours', label: '迟延（小时）' },
    { name: 'lag_days', label: '迟延（日）' },
    { name: 'status', label: '状态' },
    { name: 'total', label: '记录数' },
    { name: 'late', label: '迟延推送数' },
    { name: 'missing', label: '未推送数' },
    { name: 'late_share', label: '迟延率' },
    { name: 'missing_share', label: '未推送率' },
    { name: 'basis', label: '依据' },
  ],
  scopeColumn: 'district_code',
  caseLevel: true,
  basis: '京检发〔2022〕169号 第25条',
  thresholds: ['data_flow.event_late_hours', 'data_flow.record_late_days'],
};
