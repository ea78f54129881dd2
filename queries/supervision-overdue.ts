import { z } from 'zod';
import type { QueryModule } from './module.ts';
import { asOf } from './params.ts';

export const supervisionOverdue: QueryModule = {
  name: 'supervision-overdue',
  title: '监督意见逾期回复',
  sql: 'supervision-overdue.sql',
  params: z.strictObject({ as_of: asOf }),
  columns: [
    { name: 'record_id', label: '监督编号' },
    { name: 'case_id', label: '案件编号' },
    { name: 'district_code', label: '区划' },
    { name: 'police_unit', label: '被监督单位' },
    { name: 'form', label: '监督方式' },
    { name: 'issued_on', label: '发出日期' },
    { name: 'due_on', label: '回复期限' },
    { name: 'replied_on', label: '回复日期' },
    { name: 'days_overdue', label: '逾期天数' },
    { name: 'status', label: '状态' },
    { name: 'basis', label: '依据' },
  ],
  scopeColumn: 'district_code',
  caseLevel: true,
  basis:
    '京检发〔2022〕169号 第7–8条；《人民检察院刑事诉讼规则》第553条、第560条、第563–565条；《公安机关办理刑事案件程序规定》第182条；《人民检察院检察建议工作规定》(2019)',
  thresholds: [
    'reply.correction_notice_days',
    'reply.recommendation_months',
    'reply.explain_reason_days',
    'reply.notify_filing_days',
    'reply.notify_withdrawal_days',
  ],
};
