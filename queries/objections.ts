import { z } from 'zod';
import type { QueryModule } from './module.ts';
import { asOf, bool, isoDate } from './params.ts';

export const objections: QueryModule = {
  name: 'objections',
  title: '复议、复核、复查与异议办理',
  sql: 'objections.sql',
  params: z
    .strictObject({
      as_of: asOf,
      from: isoDate('from（提出日期起）').optional(),
      to: isoDate('to（提出日期止）').optional(),
      summary: bool('summary').default(false),
    })
    .refine((p) => !p.from || !p.to || p.from <= p.to, { error: 'from 不能晚于 to', path: ['from'] }),
  columns: [
    { name: 'decision_id', label: '决定编号' },
    { name: 'record_id', label: '监督编号' },
    { name: 'case_id', label: '案件编号' },
    { name: 'suspect_id', label: '嫌疑人编号' },
    { name: 'district_code', label: '区划' },
    { name: 'police_unit', label: '办案（被监督）单位' },
    { name: 'object', label: '异议对象' },
    { name: 'kind', label: '异议方式' },
    { name: 'filed_on', label: '提出日期' },
    { name: 'due_on', label: '决定期限' },
    { name: 'decided_on', label: '决定日期' },
    { name: 'result', label: '结果' },
    { name: 'status', label: '办理状态' },
    { name: 'days_late', label: '逾期天数' },
    { name: 'age_days', label: '已经过天数' },
    { name: 'filed', label: '提出数' },
    { name: 'decided', label: '已决定数' },
    { name: 'changed', label: '变更数' },
    { name: 'change_rate', label: '改变率' },
    { name: 'revoked', label: '撤销（撤回）数' },
    { name: 'revoke_rate', label: '撤销率' },
    { name: 'late', label: '逾期数' },
    { name: 'basis', label: '依据' },
  ],
  scopeColumn: 'district_code',
  caseLevel: true,
  basis:
    '京检发〔2022〕169号 第8条；《刑事诉讼法》第92条、第179条；《人民检察院刑事诉讼规则》第290–291条、第379–380条、第554条、第565条；《人民检察院检察建议工作规定》(2019)',
  thresholds: [
    'objection.arrest_recon_days',
    'objection.arrest_upper_review_days',
    'objection.prosecution_recon_days',
    'objection.prosecution_upper_review_days',
    'objection.withdrawal_recon_days',
    'objection.withdrawal_upper_review_days',
    'objection.recheck_days',
  ],
  derive: (p) => ({
    from_on: (p.from as string | undefined) ?? null,
    to_on: (p.to as string | undefined) ?? null,
  }),
};
