import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes a CSV from rows of cells, quoting only where needed (RFC 4180); returns the path. */
export function writeCsv(
  dir: string,
  name: string,
  rows: readonly (readonly string[])[],
  eol = '\n',
): string {
  const cell = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  const path = join(dir, name);
  writeFileSync(path, rows.map((r) => r.map(cell).join(',')).join(eol) + eol);
  return path;
}

export const CASE_HEADER_ZH = [
  '案件编号',
  '区划',
  '办案单位',
  '罪名',
  '立案日期',
  '案件状态',
  '结案日期',
  '更新时间',
];
export const CASE_HEADER = [
  'case_id',
  'district_code',
  'police_unit',
  'charge',
  'filed_on',
  'status',
  'closed_on',
  'updated_at',
];

/** A valid case row in CASE_HEADER order. */
export function caseRow(
  id: string,
  over: Partial<Record<(typeof CASE_HEADER)[number], string>> = {},
): string[] {
  const base: Record<string, string> = {
    case_id: id,
    district_code: '110105',
    police_unit: '朝阳分局刑侦支队',
    charge: '盗窃罪',
    filed_on: '2024-03-05',
    status: '侦查中',
    closed_on: '',
    updated_at: '',
    ...over,
  };
  return CASE_HEADER.map((h) => base[h]!);
}
