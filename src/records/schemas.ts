import { z } from 'zod';

// The records kept by the system (spec/contract.md "Kept by the system"). The API validates its writes with these
// schemas and the demo set-up loads the generator's app-records.json through the same ones.
const id = z.string().min(1).max(64);
const date = z.iso.date();
const agency = z.enum(['公安', '检察']);
const json = z.unknown();

export const GRADES = ['优质', '合格', '基本合格', '不合格'] as const;
export const CAMPAIGN_MODES = ['常规抽查', '重点评查', '专项评查', '联合评查'] as const;
export const AGENCIES = ['公安', '检察'] as const;
export const INSPECTION_RESULTS = ['无问题', '有问题'] as const;
export const MEETING_LEVELS = ['市级', '区级'] as const;
export const MEETING_KINDS = ['定期', '专题'] as const;
/** A campaign's or an inspection's state (migration 010); records without one are 进行中. */
export const CAMPAIGN_STATUSES = ['进行中', '已完成', '已撤销'] as const;
const status = z.enum(CAMPAIGN_STATUSES).default('进行中');
const timestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?/);

export const reviewCampaign = z.strictObject({
  review_campaign_id: id,
  name: z.string().min(1),
  mode: z.enum(['常规抽查', '重点评查', '专项评查', '联合评查']),
  population: json,
  seed: z.number().int().nonnegative(),
  population_count: z.number().int().nonnegative(),
  size: z.number().int().nonnegative(),
  created_by: z.string().min(1),
  created_at: z.string().regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?/),
  sample: z.array(id),
  status,
});

export const review = z.strictObject({
  review_id: id,
  review_campaign_id: id,
  decision_id: id,
  reviewer: z.string().min(1),
  reviewed_on: date,
  // 瑕疵 is accepted and stored as 基本合格 (contract.md)
  grade: z
    .enum(['优质', '合格', '基本合格', '不合格', '瑕疵'])
    .transform((g) => (g === '瑕疵' ? '基本合格' : g)),
});

/** 评查问题 dimensions (spec/contract.md review_findings.dimension). */
export const REVIEW_DIMENSIONS = [
  '事实认定',
  '证据采信',
  '法律适用',
  '办案程序',
  '文书制作',
  '释法说理',
  '社会危险性评估',
  '补充侦查提纲',
  '涉案财物',
  '强制措施适用',
  '其他',
] as const;

export const reviewFinding = z.strictObject({
  review_finding_id: id,
  review_id: id,
  dimension: z.enum(REVIEW_DIMENSIONS),
  responsible: agency,
  text: z.string().nullable().optional(),
});

export const inspectionCampaign = z.strictObject({
  inspection_campaign_id: id,
  name: z.string().min(1),
  topic: z.string().nullable().optional(),
  start_on: date.nullable().optional(),
  end_on: date.nullable().optional(),
  criteria: json,
  matched: z.array(id),
  created_by: z.string().min(1),
  status,
  created_at: timestamp.nullable().optional(),
});

export const inspectionFinding = z.strictObject({
  inspection_finding_id: id,
  inspection_campaign_id: id,
  case_id: id,
  checked_on: date,
  result: z.enum(['无问题', '有问题']),
  text: z.string().nullable().optional(),
  responsible: agency.nullable().optional(),
  rectified_on: date.nullable().optional(),
});

export const meeting = z.strictObject({
  meeting_id: id,
  level: z.enum(['市级', '区级']),
  district_code: z
    .string()
    .regex(/^1101\d{2}$/)
    .nullable()
    .optional(),
  held_on: date,
  kind: z.enum(['定期', '专题']),
  topics: z
    .union([z.string(), z.array(z.string())])
    .nullable()
    .optional(),
  has_minutes: z.boolean().default(false),
  pack: json.optional(),
  /** the reporting period of the pack (2025, 2025Q1, 2025-03), as joint-meeting-pack's `period` */
  period: z
    .string()
    .regex(/^\d{4}(Q[1-4]|-(0[1-9]|1[0-2]))?$/)
    .nullable()
    .optional(),
  created_by: z.string().min(1).nullable().optional(),
});

export const meetingAction = z.strictObject({
  action_id: id,
  meeting_id: id,
  text: z.string().min(1),
  owner: z.string().nullable().optional(),
  due_on: date.nullable().optional(),
  closed_on: date.nullable().optional(),
});

export const appRecords = z.strictObject({
  review_campaigns: z.array(reviewCampaign).default([]),
  reviews: z.array(review).default([]),
  review_findings: z.array(reviewFinding).default([]),
  inspection_campaigns: z.array(inspectionCampaign).default([]),
  inspection_findings: z.array(inspectionFinding).default([]),
  meetings: z.array(meeting).default([]),
  meeting_actions: z.array(meetingAction).default([]),
});
export type AppRecords = z.infer<typeof appRecords>;
