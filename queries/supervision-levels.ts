import { z } from 'zod';
import type { QueryModule } from './module.ts';
import { asOf, isoDate } from './params.ts';

export const supervisionLevels: QueryModule = {
  name: 'supervision-levels',
  title: '不当升格、降格监督与不应当监督而监督',
  sql: 'supervision-levels.sql',
  params: z
    .strictObject({
      as_of: asOf,
      from: isoDate('from（发出日期起）').optional(),
      to: isoDate('to（发出日期止）').optional(),
    })
    .refine((p) => !p.from || !p.to || p.from <= p.to, { error: 'from 不能晚于 to', path: ['from'] }),
  columns: [
    { name: 'record_id', label: '监督编号' },
    { name: 'case_id', label: '案件编号' },
    { name: 'district_code', label: '区划' },
    { name: 'police_unit', label: '被监督单位' },
    { name: 'issue', label: '违法情形' },
    { name: 'severity', label: '情节' },
    { name: 'form', label: '监督方式' },
    { name: 'issued_on', label: '发出日期' },
    { name: 'finding', label: '问题' },
    { name: 'expected_form', label: '应当采用的监督方式' },
    { name: 'repeats', label: '此前同单位同类问题数' },
    { name: 'objection_result', label: '异议结果' },
    { name: 'basis', label: '依据' },
  ],
  scopeColumn: 'district_code',
  caseLevel: true,
  basis:
    '京检发〔2022〕169号 第6条、第8条；《人民检察院刑事诉讼规则》第552条、第554条、第565条；《人民检察院检察建议工作规定》(2019)',
  thresholds: ['levels.repeat_window_days', 'levels.repeat_min'],
  // without a window every record issued by as_of is judged
  derive: (p) => ({
    from_on: (p.from as string | undefined) ?? null,
    to_on: (p.to as string | undefined) ?? null,
  }),
};
