import { z } from 'zod';
import type { QueryModule } from './module.ts';
import { asOf, bool, isoDate } from './params.ts';

export const filingSupervision: QueryModule = {
  name: 'filing-supervision',
  title: '立案监督跟踪',
  sql: 'filing-supervision.sql',
  params: z
    .strictObject({
      as_of: asOf,
      from: isoDate('from（发出日期起）').optional(),
      to: isoDate('to（发出日期止）').optional(),
      summary: bool('summary').default(false),
    })
    .refine((p) => !p.from || !p.to || p.from <= p.to, { error: 'from 不能晚于 to', path: ['from'] }),
  columns: [
    { name: 'record_id', label: '监督编号' },
    { name: 'case_id', label: '案件编号' },
    { name: 'district_code', label: '区划' },
    { name: 'police_unit', label: '被监督单位' },
    { name: 'form', label: '监督方式' },
    { name: 'issue', label: '违法情形' },
    { name: 'issued_on', label: '发出日期' },
    { name: 'due_on', label: '执行期限' },
    { name: 'done_on', label: '执行日期' },
    { name: 'outcome', label: '执行情况' },
    { name: 'status', label: '状态' },
    { name: 'days_late', label: '逾期天数' },
    { name: 'correction_notice_id', label: '后续纠正违法通知书' },
    { name: 'issued', label: '发出数' },
    { name: 'executed', label: '已执行数' },
    { name: 'execution_rate', label: '执行率' },
    { name: 'on_time', label: '按期执行数' },
    { name: 'lapsed', label: '逾期数' },
    { name: 'lapsed_escalated', label: '逾期后已发纠正违法通知书数' },
    { name: 'urge_after', label: '催办期满日（监督立案后）' },
    { name: 'urge_due', label: '可发催办函数' },
    { name: 'basis', label: '依据' },
  ],
  scopeColumn: 'district_code',
  caseLevel: true,
  basis:
    '京检发〔2022〕169号 第7条；《人民检察院刑事诉讼规则》第287条、第560条、第563–565条；《公安机关办理刑事案件程序规定》第182条',
  thresholds: [
    'reply.explain_reason_days',
    'reply.notify_filing_days',
    'reply.notify_withdrawal_days',
    'filing.urge_months',
    'filing.non_arrest_withdrawal_days',
  ],
  derive: (p) => ({
    from_on: (p.from as string | undefined) ?? null,
    to_on: (p.to as string | undefined) ?? null,
  }),
};
