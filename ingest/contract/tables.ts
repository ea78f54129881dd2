import { z } from 'zod';
import { col, columnMeta, enumCol, type ColumnMeta } from './columns.ts';

// spec/contract.md, table by table. Column order follows the contract.
const AGENCY3 = ['公安', '检察', '法院'] as const;
const RESULT = ['维持', '变更'] as const;

export const cases = z.object({
  case_id: col('text', '案件编号', { required: true, key: true }),
  district_code: col('district', ['区划', '所属区'], { required: true }),
  police_unit: col('text', '办案单位', { required: true }),
  charge: col('charge', '罪名', { required: true }),
  other_charges: col('charges', '其他罪名'),
  accepted_on: col('date', '受案日期'),
  filed_on: col('date', '立案日期', { required: true }),
  filing_basis: enumCol('立案方式', ['以人立案', '以事立案'], { default: '以人立案' }),
  status: enumCol('案件状态', ['侦查中', '已移送审查起诉', '已撤案', '已终止侦查'], { required: true }),
  closed_on: col('date', '结案日期'),
  enterprise_related: col('bool', '涉企', { default: false }),
  economic_dispute: col('bool', '涉经济纠纷', { default: false }),
  major_case: col('bool', '重大疑难复杂', { default: false }),
  supervised_listing: col('bool', '挂牌督办', { default: false }),
  minor_victim: col('bool', '未成年被害人', { default: false }),
  one_stop: col('bool', '一站式取证'),
  updated_at: col('timestamp', '更新时间'),
});

export const suspects = z.object({
  suspect_id: col('text', '嫌疑人编号', { required: true, key: true }),
  case_id: col('text', '案件编号', { required: true }),
  name: col('person_name', '姓名', { storedAs: 'name_masked' }),
  id_number: col('id_number', '身份证号', { storedAs: 'id_hash' }),
  gender: enumCol('性别', ['男', '女']),
  birth_date: col('date', '出生日期'),
  is_minor: col('bool', '未成年'),
  updated_at: col('timestamp', '更新时间'),
});

export const measures = z.object({
  measure_id: col('text', '措施编号', { required: true, key: true }),
  suspect_id: col('text', '嫌疑人编号', { required: true }),
  measure: enumCol('措施', ['拘传', '刑事拘留', '逮捕', '取保候审', '监视居住', '指定居所监视居住'], {
    required: true,
  }),
  updated_at: col('timestamp', '更新时间'),
  decided_by: enumCol('决定机关', AGENCY3, { default: '公安' }),
  start_on: col('date', '开始日期', { required: true }),
  end_on: col('date', '解除日期'),
  end_reason: col('text', '解除原因'),
});

export const ARREST_REASONS = ['不构成犯罪', '证据不足', '无社会危险性'] as const;
export const PROSECUTION_REASONS = ['法定不起诉', '酌定不起诉', '存疑不起诉', '附条件不起诉'] as const;

export const decisions = z.object({
  decision_id: col('text', '决定编号', { required: true, key: true }),
  case_id: col('text', '案件编号', { required: true }),
  suspect_id: col('text', '嫌疑人编号', { required: true }),
  stage: enumCol('环节', ['审查逮捕', '审查起诉'], { required: true }),
  procuratorate: col('text', '检察院'),
  prosecutor_id: col('text', '承办检察官'),
  received_on: col('date', '受理日期', { required: true }),
  decided_on: col('date', '决定日期', { required: true }),
  decision: enumCol('决定', ['批准逮捕', '不批准逮捕', '起诉', '不起诉'], { required: true }),
  reason: enumCol('决定理由', [...ARREST_REASONS, ...PROSECUTION_REASONS]),
  plea: col('bool', '认罪认罚'),
  fast_track: col('bool', '速裁'),
  returns: col('count', '退回补充侦查次数'),
  recon_filed_on: col('date', '复议提出日期'),
  recon_decided_on: col('date', '复议决定日期'),
  recon_result: enumCol('复议结果', RESULT),
  upper_review_filed_on: col('date', '复核提出日期'),
  upper_review_decided_on: col('date', '复核决定日期'),
  upper_review_result: enumCol('复核结果', RESULT),
  recorded_at: col('timestamp', '推送时间'),
  updated_at: col('timestamp', '更新时间'),
});

export const supervision = z.object({
  record_id: col('text', '监督编号', { required: true, key: true }),
  case_id: col('text', '案件编号'),
  district_code: col('district', '区划', { required: true }),
  police_unit: col('text', '被监督单位', { required: true }),
  category: enumCol('监督类别', ['立案监督', '侦查活动监督'], { required: true }),
  issue: enumCol(
    '违法情形',
    [
      '应立不立',
      '不应立而立',
      '插手经济纠纷',
      '长期挂案',
      '刑讯逼供',
      '非法取证',
      '违法适用强制措施',
      '超期羁押',
      '违法处置涉案财物',
      '不应撤案而撤案',
      '侵犯诉讼权利',
      '其他',
    ],
    { required: true },
  ),
  severity: enumCol('情节', ['较轻', '较重', '普遍性', '涉嫌犯罪'], { required: true }),
  form: enumCol(
    '监督方式',
    ['口头纠正', '纠正违法通知书', '检察建议', '要求说明理由', '通知立案', '通知撤案', '移送追究刑事责任'],
    { required: true },
  ),
  source: enumCol('线索来源', [
    '报案控告举报',
    '自行发现',
    '执法办案管理中心巡查',
    '涉案财物管理中心巡查',
    '上级交办',
    '其他',
  ]),
  issued_on: col('date', '发出日期', { required: true }),
  reply_due_on: col('date', '回复期限'),
  replied_on: col('date', '回复日期'),
  reply: enumCol('回复情况', ['已纠正', '提出异议', '未回复'], { default: '未回复' }),
  rectified_on: col('date', '整改完成日期'),
  objection: enumCol('异议方式', ['要求说明理由', '要求复议', '提请复核', '申请复查', '提出异议']),
  objection_filed_on: col('date', '异议提出日期'),
  objection_decided_on: col('date', '异议决定日期'),
  objection_result: enumCol('异议结果', ['维持', '变更', '撤销', '撤回']),
  recorded_at: col('timestamp', '推送时间'),
  updated_at: col('timestamp', '更新时间'),
});

export const events = z.object({
  event_id: col('text', '节点编号', { required: true, key: true }),
  case_id: col('text', '案件编号', { required: true }),
  suspect_id: col('text', '嫌疑人编号'),
  event: enumCol(
    '节点',
    [
      '受案',
      '立案',
      '到案',
      '刑事拘留',
      '提请批准逮捕',
      '延长侦查羁押期限',
      '移送审查起诉',
      '退回补充侦查',
      '重新移送审查起诉',
      '提起公诉',
      '一审宣判',
      '撤案',
      '终止侦查',
      '提前介入',
      '挂牌督办',
      '其他',
    ],
    { required: true },
  ),
  note: col('text', '备注'),
  occurred_at: col('timestamp', '发生时间', { required: true }),
  recorded_at: col('timestamp', '推送时间'),
  actor: enumCol('机关', AGENCY3),
  actor_person: col('text', '承办人'),
  updated_at: col('timestamp', '更新时间'),
});

export const property = z.object({
  item_id: col('text', '物品编号', { required: true, key: true }),
  case_id: col('text', '案件编号', { required: true }),
  description: col('text', '物品名称', { required: true }),
  category: enumCol('类别', ['现金', '银行存款', '车辆', '电子设备', '文书', '其他']),
  seizure: enumCol('处置措施', ['查封', '扣押', '冻结', '调取']),
  seized_on: col('date', '查扣日期'),
  transferred_on: col('date', '随案移送日期'),
  accepted: enumCol('接收情况', ['接收', '不予接收', '部分接收']),
  refusal_reason: col('text', '不予接收理由'),
  disposed_on: col('date', '处置日期'),
  updated_at: col('timestamp', '更新时间'),
});

export const schemas = { cases, suspects, measures, decisions, supervision, events, property } as const;
export type TableName = keyof typeof schemas;

/** Dependency order for loading (contract.md "Load semantics"). */
export const LOAD_ORDER: readonly TableName[] = [
  'cases',
  'suspects',
  'measures',
  'decisions',
  'events',
  'property',
  'supervision',
];

/** Header inference order: the first table whose key column is in the header (contract.md). */
export const INFERENCE_ORDER: readonly TableName[] = [
  'measures',
  'decisions',
  'supervision',
  'events',
  'property',
  'suspects',
  'cases',
];

export const TABLE_ZH: Record<TableName, string> = {
  cases: '案件',
  suspects: '犯罪嫌疑人',
  measures: '强制措施',
  decisions: '审查逮捕/审查起诉决定',
  supervision: '监督记录',
  events: '流程节点',
  property: '涉案财物',
};

export interface ColumnDef extends ColumnMeta {
  name: string;
  stored: string;
}

export interface Reference {
  column: string;
  table: TableName;
  targetColumn: string;
  optional: boolean;
}

/** References checked on load (contract.md): a row whose reference is missing is rejected. */
export const REFERENCES: Record<TableName, readonly Reference[]> = {
  cases: [],
  suspects: [{ column: 'case_id', table: 'cases', targetColumn: 'case_id', optional: false }],
  measures: [{ column: 'suspect_id', table: 'suspects', targetColumn: 'suspect_id', optional: false }],
  decisions: [
    { column: 'case_id', table: 'cases', targetColumn: 'case_id', optional: false },
    { column: 'suspect_id', table: 'suspects', targetColumn: 'suspect_id', optional: false },
  ],
  events: [
    { column: 'case_id', table: 'cases', targetColumn: 'case_id', optional: false },
    { column: 'suspect_id', table: 'suspects', targetColumn: 'suspect_id', optional: true },
  ],
  property: [{ column: 'case_id', table: 'cases', targetColumn: 'case_id', optional: false }],
  supervision: [{ column: 'case_id', table: 'cases', targetColumn: 'case_id', optional: true }],
};

export function columnsOf(table: TableName): ColumnDef[] {
  return Object.entries(schemas[table].shape).map(([name, schema]) => {
    const meta = columnMeta.get(schema as z.ZodType);
    if (!meta) throw new Error(`column ${table}.${name} has no contract metadata`);
    return { name, stored: meta.storedAs ?? name, ...meta };
  });
}

export function keyColumn(table: TableName): string {
  const key = columnsOf(table).find((c) => c.key);
  if (!key) throw new Error(`table ${table} has no key`);
  return key.name;
}
