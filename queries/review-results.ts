import { z } from 'zod';
import type { QueryModule } from './module.ts';
import { asOf, isoDate } from './params.ts';

export const reviewResults: QueryModule = {
  name: 'review-results',
  title: '联合评查结果',
  sql: 'review-results.sql',
  params: z.strictObject({
    as_of: asOf,
    from: isoDate('from（评查起始日期）').optional(),
    to: isoDate('to（评查截止日期）').optional(),
    campaign: z.string().min(1, { error: 'campaign（评查活动编号）不能为空' }).optional(),
    group_by: z
      .enum(['campaign', 'district', 'month', 'quarter', 'year', 'all'], {
        error: 'group_by（分组）应为 campaign、district、month、quarter、year 或 all',
      })
      .default('campaign'),
    view: z
      .enum(['grades', 'issues'], { error: 'view（视图）应为 grades（等次分布）或 issues（问题分布）' })
      .default('grades'),
  }),
  columns: [
    { name: 'review_campaign_id', label: '评查活动编号' },
    { name: 'campaign_name', label: '评查活动' },
    { name: 'mode', label: '评查方式' },
    { name: 'district_code', label: '区划' },
    { name: 'period', label: '期间' },
    { name: 'dimension', label: '问题类别' },
    { name: 'responsible', label: '责任机关' },
    { name: 'sample_size', label: '抽取件数' },
    { name: 'reviewed', label: '已评查件数' },
    { name: 'progress', label: '评查进度' },
    { name: 'grade_excellent', label: '优质' },
    { name: 'grade_pass', label: '合格' },
    { name: 'grade_basic_pass', label: '基本合格' },
    { name: 'grade_fail', label: '不合格' },
    { name: 'fail_rate', label: '不合格率' },
    { name: 'with_issue', label: '有问题件数' },
    { name: 'issue_rate', label: '问题发生率' },
    { name: 'police_issue', label: '有公安责任问题件数' },
    { name: 'police_issue_rate', label: '公安责任问题发生率' },
    { name: 'procuratorate_issue', label: '有检察责任问题件数' },
    { name: 'procuratorate_issue_rate', label: '检察责任问题发生率' },
    { name: 'findings', label: '问题数' },
    { name: 'reviews_with_issue', label: '该类问题件数' },
    { name: 'dimension_issue_rate', label: '该类问题发生率' },
    { name: 'basis', label: '依据' },
  ],
  scopeColumn: 'district_code',
  caseLevel: false,
  basis: '京检发〔2022〕169号 第9条；《人民检察院案件质量评查工作规定》',
  thresholds: [],
  derive: (p) => ({
    from: (p.from as string | undefined) ?? null,
    to: (p.to as string | undefined) ?? (p.as_of as string),
    campaign: (p.campaign as string | undefined) ?? null,
  }),
};
