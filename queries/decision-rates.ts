import { z } from 'zod';
import { comparedColumns, fromParam, periodWindow, toParam } from './period-window.ts';
import type { OutputColumn, QueryModule } from './module.ts';
import { asOf } from './params.ts';

// The figures of one window, in output order; each appears again with _yoy (同比) and _pop (环比).
const FIGURES: readonly OutputColumn[] = [
  { name: 'arrest', label: '批准逮捕人数' },
  { name: 'non_arrest', label: '不批准逮捕人数' },
  { name: 'arrest_decided', label: '审查逮捕人数' },
  { name: 'non_arrest_rate', label: '不捕率' },
  { name: 'arrest_recon', label: '不捕复议人数' },
  { name: 'arrest_recon_rate', label: '不捕复议率' },
  { name: 'arrest_recon_decided', label: '不捕复议已决定' },
  { name: 'arrest_recon_changed', label: '不捕复议改变' },
  { name: 'arrest_recon_changed_rate', label: '不捕复议改变率' },
  { name: 'arrest_upper_review', label: '不捕复核人数' },
  { name: 'arrest_upper_review_decided', label: '不捕复核已决定' },
  { name: 'arrest_upper_review_changed', label: '不捕复核改变' },
  { name: 'arrest_upper_review_changed_rate', label: '不捕复核改变率' },
  { name: 'prosecution', label: '起诉人数' },
  { name: 'non_prosecution', label: '不起诉人数' },
  { name: 'prosecution_decided', label: '审查起诉人数' },
  { name: 'non_prosecution_rate', label: '不诉率' },
  { name: 'prosecution_recon', label: '不诉复议人数' },
  { name: 'prosecution_recon_rate', label: '不诉复议率' },
  { name: 'prosecution_recon_decided', label: '不诉复议已决定' },
  { name: 'prosecution_recon_changed', label: '不诉复议改变' },
  { name: 'prosecution_recon_changed_rate', label: '不诉复议改变率' },
  { name: 'prosecution_upper_review', label: '不诉复核人数' },
  { name: 'prosecution_upper_review_decided', label: '不诉复核已决定' },
  { name: 'prosecution_upper_review_changed', label: '不诉复核改变' },
  { name: 'prosecution_upper_review_changed_rate', label: '不诉复核改变率' },
  { name: 'returned', label: '退回补充侦查人数' },
  { name: 'return_rate', label: '退查率' },
];

export const GROUP_BY = ['all', 'district', 'police_unit', 'charge', 'chapter', 'month', 'quarter'] as const;

export const decisionRates: QueryModule = {
  name: 'decision-rates',
  title: '不捕率、不诉率及复议复核',
  sql: 'decision-rates.sql',
  params: z.strictObject({
    as_of: asOf,
    from: fromParam,
    to: toParam,
    group_by: z
      .enum(GROUP_BY, {
        error: 'group_by（分组）应为 all、district、police_unit、charge、chapter、month 或 quarter',
      })
      .default('district'),
  }),
  columns: [
    { name: 'district_code', label: '区划' },
    { name: 'police_unit', label: '办案单位' },
    { name: 'charge', label: '罪名' },
    { name: 'chapter_no', label: '刑法分则章' },
    { name: 'chapter', label: '章名' },
    { name: 'month', label: '月份' },
    { name: 'quarter', label: '季度' },
    ...comparedColumns(FIGURES),
  ],
  scopeColumn: 'district_code',
  caseLevel: false,
  basis:
    '京检发〔2022〕169号 第9条；《刑事诉讼法》第81条、第90条、第92条、第175条、第177条、第179条；《人民检察院刑事诉讼规则》第290–291条、第379–380条',
  thresholds: [],
  derive: periodWindow,
};
