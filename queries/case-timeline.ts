import { z } from 'zod';
import type { QueryModule } from './module.ts';
import { asOf } from './params.ts';

export const caseTimeline: QueryModule = {
  name: 'case-timeline',
  title: '案件时间线',
  sql: 'case-timeline.sql',
  source: 'pending',
  params: z.strictObject({
    as_of: asOf,
    case_id: z
      .string({ error: 'case_id（案件编号）必须填写' })
      .trim()
      .min(1, { error: 'case_id（案件编号）必须填写' })
      .max(100, { error: 'case_id（案件编号）过长' }),
  }),
  columns: [
    { name: 'case_id', label: '案件编号' },
    { name: 'district_code', label: '区划' },
    { name: 'occurred_on', label: '日期' },
    { name: 'occurred_at', label: '时间' },
    { name: 'kind', label: '类别' },
    { name: 'item_id', label: '编号' },
    { name: 'suspect_id', label: '嫌疑人编号' },
    { name: 'what', label: '事项' },
    { name: 'who', label: '机关或承办人' },
    { name: 'rule', label: '期限规则' },
    { name: 'deadline', label: '期限届满日' },
    { name: 'done_on', label: '办结日期' },
    { name: 'status', label: '期限状态' },
    { name: 'days_over', label: '超期天数' },
    { name: 'recorded_at', label: '推送时间' },
    { name: 'push_status', label: '推送状态' },
    { name: 'basis', label: '依据' },
  ],
  scopeColumn: 'district_code',
  caseLevel: true,
  basis:
    '《刑事诉讼法》第79条、第91条、第156–159条；《人民检察院刑事诉讼规则》第290、291、379、380、553、554、560、563–565条；京检发〔2022〕169号 第5条、第19条、第25条',
  thresholds: [
    'measure.bail_months',
    'measure.rs_months',
    'measure.arrest_custody_months',
    'measure.detention_days',
    'measure.max_returns',
    'reply.correction_notice_days',
    'reply.recommendation_months',
    'reply.explain_reason_days',
    'reply.notify_filing_days',
    'reply.notify_withdrawal_days',
    'objection.arrest_recon_days',
    'objection.arrest_upper_review_days',
    'objection.prosecution_recon_days',
    'objection.prosecution_upper_review_days',
    'objection.withdrawal_recon_days',
    'objection.withdrawal_upper_review_days',
    'objection.recheck_days',
    'pending.rule_a_months',
    'pending.rule_b_months',
    'pending.rule_c_months',
    'fast_track.hours',
    'data_flow.event_late_hours',
    'data_flow.record_late_days',
  ],
};
