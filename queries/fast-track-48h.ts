import { z } from 'zod';
import type { QueryModule } from './module.ts';
import { asOf, bool } from './params.ts';

export const fastTrack48h: QueryModule = {
  name: 'fast-track-48h',
  title: '48小时速裁',
  sql: 'fast-track-48h.sql',
  params: z.strictObject({
    as_of: asOf,
    clock_start: z
      .enum(['detention', 'filing'], {
        error: 'clock_start（起算点）应为 detention（刑事拘留）或 filing（立案）',
      })
      .default('detention'),
    summary: bool('summary（按区汇总）').default(false),
  }),
  columns: [
    { name: 'suspect_id', label: '嫌疑人编号' },
    { name: 'case_id', label: '案件编号' },
    { name: 'district_code', label: '区划' },
    { name: 'police_unit', label: '办案单位' },
    { name: 'clock_start', label: '起算节点' },
    { name: 'started_at', label: '起算时间' },
    { name: 'transferred_at', label: '移送审查起诉时间' },
    { name: 'prosecuted_at', label: '提起公诉时间' },
    { name: 'judged_at', label: '一审宣判时间' },
    { name: 'hours', label: '用时（小时）' },
    { name: 'hours_to_transfer', label: '起算至移送（小时）' },
    { name: 'hours_to_prosecution', label: '移送至起诉（小时）' },
    { name: 'hours_to_judgment', label: '起诉至宣判（小时）' },
    { name: 'within_48h', label: '48小时内' },
    { name: 'status', label: '状态' },
    { name: 'total', label: '速裁人数' },
    { name: 'concluded', label: '已宣判或已超时' },
    { name: 'within', label: '按期' },
    { name: 'over', label: '超时' },
    { name: 'running', label: '进行中' },
    { name: 'within_share', label: '按期率' },
    { name: 'p50_hours', label: '用时中位数（小时）' },
    { name: 'p90_hours', label: '用时90分位（小时）' },
    { name: 'p50_to_transfer', label: '起算至移送中位数（小时）' },
    { name: 'p50_to_prosecution', label: '移送至起诉中位数（小时）' },
    { name: 'p50_to_judgment', label: '起诉至宣判中位数（小时）' },
    { name: 'basis', label: '依据' },
  ],
  scopeColumn: 'district_code',
  caseLevel: true,
  basis: '京检发〔2022〕169号 第19条；《刑事诉讼法》第222–225条',
  thresholds: ['fast_track.hours'],
};
