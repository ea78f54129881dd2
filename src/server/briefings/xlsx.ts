import ExcelJS from 'exceljs';
import type { BriefingRow } from '../../../queries/briefing.ts';
import { briefingHighlights } from '../../../queries/briefing-text.ts';
import type { QueryResult } from '../../../queries/run.ts';

/** The five sections of 第24条, one sheet each, in the briefing's order. */
export const SECTION_SHEETS = ['犯罪形势', '刑事立案', '强制措施适用', '类案', '侦查监督'] as const;

const COUNT = '0';
const RATE = '0.0%';

interface Col {
  header: string;
  /** the cell of a row; undefined leaves it empty */
  get: (r: BriefingRow) => string | number | null;
  /** a fixed format, or by the row (a figure's own unit) */
  numFmt?: string | ((r: BriefingRow) => string);
}

const byUnit = (r: BriefingRow) => (r.unit === '率' ? RATE : COUNT);

function crimeColumns(name: (code: string) => string): Col[] {
  return [
    { header: '区划代码', get: (r) => r.district_code },
    { header: '区', get: (r) => (r.district_code ? name(r.district_code) : null) },
    { header: '月份', get: (r) => r.month },
    { header: '刑法分则章', get: (r) => r.chapter_no, numFmt: COUNT },
    { header: '章名', get: (r) => r.chapter },
    { header: '立案数（件）', get: (r) => r.value, numFmt: COUNT },
  ];
}

function comparedColumns(rows: readonly BriefingRow[], name: (code: string) => string): Col[] {
  const has = (k: keyof BriefingRow) => rows.some((r) => r[k] !== null);
  return [
    ...(has('district_code')
      ? [{ header: '区', get: (r: BriefingRow) => (r.district_code ? name(r.district_code) : '合计') }]
      : []),
    ...(has('rank') ? [{ header: '排名', get: (r: BriefingRow) => r.rank, numFmt: COUNT }] : []),
    ...(has('charge') ? [{ header: '罪名', get: (r: BriefingRow) => r.charge }] : []),
    { header: '指标', get: (r) => r.label },
    { header: '单位', get: (r) => (r.unit === '率' ? '%' : r.unit) },
    { header: '本期', get: (r) => r.value, numFmt: byUnit },
    ...(has('denominator')
      ? [
          { header: '分子', get: (r: BriefingRow) => r.numerator, numFmt: COUNT },
          { header: '分母', get: (r: BriefingRow) => r.denominator, numFmt: COUNT },
        ]
      : []),
    { header: '上年同期', get: (r) => r.yoy_value, numFmt: byUnit },
    { header: '同比变化', get: (r) => r.yoy_change, numFmt: byUnit },
    { header: '同比增幅', get: (r) => r.yoy_growth, numFmt: RATE },
    { header: '上期', get: (r) => r.pop_value, numFmt: byUnit },
    { header: '环比变化', get: (r) => r.pop_change, numFmt: byUnit },
    { header: '环比增幅', get: (r) => r.pop_growth, numFmt: RATE },
    { header: '来源', get: (r) => r.basis },
  ];
}

// CJK characters are about two columns wide in Excel's unit
const width = (v: unknown) =>
  [...String(v ?? '')].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);

function addTable(wb: ExcelJS.Workbook, sheet: string, cols: Col[], rows: readonly BriefingRow[]): void {
  const ws = wb.addWorksheet(sheet.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(cols.map((c) => c.header)).font = { bold: true };
  for (const r of rows) {
    const row = ws.addRow(cols.map((c) => c.get(r)));
    cols.forEach((c, i) => {
      if (!c.numFmt) return;
      row.getCell(i + 1).numFmt = typeof c.numFmt === 'string' ? c.numFmt : c.numFmt(r);
    });
  }
  cols.forEach((c, i) => {
    const longest = Math.max(width(c.header), ...rows.map((r) => width(c.get(r))));
    ws.getColumn(i + 1).width = Math.max(8, Math.min(48, longest + 2));
  });
}

export interface XlsxInfo {
  title: string;
  districtName: (code: string) => string;
}

/**
 * The 情况通报 as a workbook: a 说明 sheet (title, period, data-as-of date, basis and the highlight sentences), then
 * one sheet per section with the module's rows — counts as whole numbers, rates as percentages, so a cell is the
 * module's value itself (0.125 shown as 12.5%), never a rounded copy.
 */
export async function briefingXlsx(result: QueryResult, info: XlsxInfo): Promise<Buffer> {
  const rows = result.rows as unknown as BriefingRow[];
  const wb = new ExcelJS.Workbook();
  wb.creator = 'zhenjian';
  const about = wb.addWorksheet('说明', { views: [{ state: 'frozen', ySplit: 1 }] });
  const first = rows.find((r) => r.section !== '犯罪形势') ?? rows[0];
  about.addRow(['项目', '内容']).font = { bold: true };
  about.addRows([
    ['标题', info.title],
    ['期间', first ? `${first.period}（${first.period_from} 至 ${first.period_to}）` : result.params.period],
    ['层级', result.params.level],
    ['数据截止', result.meta.as_of],
    ['依据', result.meta.basis],
    [
      '口径',
      '同比为上年同期，环比为上一期；率的变化以百分点计（表中以百分数显示）；增幅在对比期为 0 或无数据时留空。',
    ],
  ]);
  const highlights = briefingHighlights(rows);
  if (highlights.length === 0) about.addRow(['主要情况', '本期各项指标均无数据。']);
  highlights.forEach((h, i) => about.addRow([i === 0 ? '主要情况' : '', h]));
  about.getColumn(1).width = 12;
  about.getColumn(2).width = 100;
  about.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
  for (const section of SECTION_SHEETS) {
    const of = rows.filter((r) => r.section === section);
    const cols =
      section === '犯罪形势' ? crimeColumns(info.districtName) : comparedColumns(of, info.districtName);
    addTable(wb, section, cols, of);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
