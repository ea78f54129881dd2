import { z } from 'zod';
import { fromParam, periodWindow, toParam } from './period-window.ts';
import type { QueryModule } from './module.ts';
import { asOf, bool } from './params.ts';

export const fileReceipt: QueryModule = {
  name: 'file-receipt',
  title: '案件受理及涉案财物接收',
  sql: 'file-receipt.sql',
  params: z.strictObject({
    as_of: asOf,
    view: z
      .enum(['receipt', 'property'], {
        error: 'view（视图）应为 receipt（受理时间）或 property（不予接收未说明理由）',
      })
      .default('receipt'),
    from: fromParam,
    to: toParam,
    // a year's decisions are hundreds of thousands of rows: the default lists those that need a look
    all: bool('all（列出全部决定）').default(false),
  }),
  columns: [
    { name: 'rule', label: '指标' },
    { name: 'case_id', label: '案件编号' },
    { name: 'district_code', label: '区划' },
    { name: 'police_unit', label: '办案单位' },
    { name: 'decision_id', label: '决定编号' },
    { name: 'suspect_id', label: '嫌疑人编号' },
    { name: 'stage', label: '环节' },
    { name: 'event', label: '移送节点' },
    { name: 'event_at', label: '移送时间' },
    { name: 'received_on', label: '受理日期' },
    { name: 'days', label: '间隔天数' },
    { name: 'status', label: '情况' },
    { name: 'item_id', label: '物品编号' },
    { name: 'description', label: '物品名称' },
    { name: 'accepted', label: '接收情况' },
    { name: 'transferred_on', label: '随案移送日期' },
    { name: 'basis', label: '依据' },
  ],
  scopeColumn: 'district_code',
  caseLevel: true,
  basis: '京检发〔2022〕169号 第15条',
  thresholds: ['receipt.late_days'],
  derive: periodWindow,
};
