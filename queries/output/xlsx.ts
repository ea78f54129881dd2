import ExcelJS from 'exceljs';
import type { ResultColumn } from '../../src/db/sql.ts';

/** One sheet: Chinese header labels, frozen header row, dates as dates, numbers as numbers with formats. */
export async function toXlsx(
  sheetName: string,
  columns: readonly ResultColumn[],
  rows: readonly Record<string, unknown>[],
  labels?: Record<string, string>,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({
    header: labels?.[c.name] ?? c.name,
    key: c.name,
    width: Math.max(10, Math.min(40, (labels?.[c.name] ?? c.name).length * 2 + 4)),
    style:
      c.type === 'DATE'
        ? { numFmt: 'yyyy-mm-dd' }
        : c.type === 'DOUBLE'
          ? { numFmt: '0.0000' }
          : /INT/.test(c.type)
            ? { numFmt: '0' }
            : {},
  }));
  ws.getRow(1).font = { bold: true };
  for (const row of rows) {
    ws.addRow(
      Object.fromEntries(
        columns.map((c) => {
          const v = row[c.name];
          if (v === null || v === undefined) return [c.name, null];
          if (c.type === 'DATE') return [c.name, new Date(`${v as string}T00:00:00Z`)];
          if (Array.isArray(v)) return [c.name, v.join('；')];
          return [c.name, v];
        }),
      ),
    );
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
