import { z } from 'zod';
import type { QueryModule } from './module.ts';
import { asOf, isoDate } from './params.ts';

const GROUP_BY = ['none', 'total', 'district', 'police_unit', 'month', 'quarter'] as const;

export const supervisionLedger: QueryModule = {
  name: 'supervision-ledger',
  title: '监督工作台账与采纳率',
  sql: 'supervision-ledger.sql',
  params: z
    .strictObject({
      as_of: asOf,
      from: isoDate('from（发出日期起）').optional(),
      to: isoDate('to（发出日期止）').optional(),
      group_by: z.enum(GROUP_BY, { error: `group_by 应为 ${GROUP_BY.join('、')} 之一` }).default('none'),
    })
    .refine((p) => !p.from || !p.to || p.from <= p.to, { error: 'from 不能晚于 to', path: ['from'] }),
  columns: [
    { name: 'period', label: '期间' },
    { name: 'district_code', label: '区划' },
    { name: 'police_unit', label: '被监督单位' },
    { name: 'record_id', label: '监督编号' },
    { name: 'case_id', label: '案件编号' },
    { name: 'category', label: '监督类别' },
    { name: 'issue', label: '违法情形' },
    { name: 'severity', label: '情节' },
    { name: 'form', label: '监督方式' },
    { name: 'issued_on', label: '发出日期' },
    { name: 'due_on', label: '回复期限' },
    { name: 'replied_on', label: '回复日期' },
    { name: 'reply', label: '回复情况' },
    { name: 'reply_status', label: '回复状态' },
    { name: 'rectified_on', label: '整改完成日期' },
    { name: 'objection', label: '异议方式' },
    { name: 'objection_result', label: '异议结果' },
    { name: 'issued', label: '发出数' },
    { name: 'replied', label: '回复数' },
    { name: 'adopted', label: '采纳（已纠正）数' },
    { name: 'adoption_rate', label: '采纳率' },
    { name: 'overdue', label: '逾期数' },
    { name: 'overdue_unanswered', label: '逾期未回复数' },
    { name: 'overdue_late', label: '逾期回复数' },
    { name: 'basis', label: '依据' },
  ],
  scopeColumn: 'district_code',
  caseLevel: true,
  basis:
    '京检发〔2022〕169号 第7–8条；《人民检察院组织法》第21条；《人民检察院刑事诉讼规则》第552–553条、第560条、第563–565条；《人民检察院检察建议工作规定》(2019)',
  thresholds: [
    'reply.correction_notice_days',
    'reply.recommendation_months',
    'reply.explain_reason_days',
    'reply.notify_filing_days',
    'reply.notify_withdrawal_days',
  ],
  // the ledger runs to as_of by default, from the first day of that year
  derive: (p) => {
    const to = (p.to as string | undefined) ?? (p.as_of as string);
    return { to_on: to, from_on: (p.from as string | undefined) ?? `${to.slice(0, 4)}-01-01` };
  },
};
