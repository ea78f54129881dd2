import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError, inputErrors, xlsxErrors } from './errors.ts';
import { forEachChunk } from './file-pass.ts';
import { checkHeader, type Malformed } from './header.ts';
import { LineIndex } from './line-index.ts';
import { csvLine } from './csv-fields.ts';
import { createTableFromCsv } from './duckdb-csv.ts';
import { StagingFile } from './staging-file.ts';
import { checkExpandedSize, readCentralDirectory, ZipProblem, type ZipEntry } from './xlsx-zip.ts';
import { workbookParts, type SheetInfo, type WorkbookParts } from './xlsx-sheets.ts';
import { readSheetRows, type SheetRow } from './xlsx-rows.ts';
import type { StageContext, StageResult } from './types.ts';

export const DEFAULT_MAX_UNZIPPED_BYTES = 2 * 1024 ** 3;
const MAX_ZIP_ENTRIES = 10_000;

export interface XlsxPlan {
  sheetName: string;
  parts: WorkbookParts;
  sheet: ZipEntry;
}

function isEmpty(row: SheetRow): boolean {
  return row.cells.every((cell) => cell === null);
}

function columnLetter(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

async function withXlsxErrors<T>(path: string, limit: number, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InputError) throw error;
    if (error instanceof ZipProblem) {
      if (/过大|条目|ZIP64/.test(error.message)) throw xlsxErrors.tooLarge(path, limit, error.message);
      throw xlsxErrors.invalid(path, error.message);
    }
    throw xlsxErrors.invalid(path, error instanceof Error ? error.message : String(error));
  }
}

function chooseSheet(path: string, sheets: SheetInfo[], wanted: string | undefined): SheetInfo {
  if (sheets.length === 0) throw xlsxErrors.invalid(path, '工作簿中没有工作表');
  if (wanted === undefined) return sheets.find((s) => !s.hidden) ?? sheets[0]!;
  const exact = sheets.find((s) => s.name === wanted);
  const loose = sheets.filter((s) => s.name.trim().toLowerCase() === wanted.trim().toLowerCase());
  const found = exact ?? (loose.length === 1 ? loose[0] : undefined);
  if (!found)
    throw xlsxErrors.noSuchSheet(
      path,
      wanted,
      sheets.map((s) => s.name),
    );
  return found;
}

export async function inspectXlsx(
  path: string,
  bytes: number,
  wantedSheet: string | undefined,
  limit = DEFAULT_MAX_UNZIPPED_BYTES,
): Promise<{ sha256: string; header: string[]; plan: XlsxPlan }> {
  const hash = createHash('sha256');
  await forEachChunk(path, (chunk) => void hash.update(chunk));
  return withXlsxErrors(path, limit, async () => {
    const entries = await readCentralDirectory(path, bytes, MAX_ZIP_ENTRIES);
    const small = entries.filter(
      (e) => e.name === 'xl/workbook.xml' || e.name === 'xl/_rels/workbook.xml.rels',
    );
    await checkExpandedSize(path, small, limit);
    const parts = await workbookParts(path, entries);
    const chosen = chooseSheet(path, parts.sheets, wantedSheet);
    const sheet = chosen.part;
    if (!sheet) throw xlsxErrors.invalid(path, `找不到工作表“${chosen.name}”的内容`);
    const read = [parts.workbook, parts.rels, parts.sharedStrings, parts.styles, sheet];
    await checkExpandedSize(path, [...new Set(read.filter((e): e is ZipEntry => e !== null))], limit);
    const found: { header: string[] | null; hasData: boolean } = { header: null, hasData: false };
    await readSheetRows(path, parts, sheet, (row) => {
      if (isEmpty(row)) return true;
      if (found.header) {
        found.hasData = true;
        return false;
      }
      found.header = checkHeader(
        path,
        row.cells.map((cell) => cell ?? ''),
      );
      return true;
    });
    if (!found.header) throw xlsxErrors.emptySheet(path, chosen.name);
    if (!found.hasData) throw inputErrors.headerOnly(path);
    return {
      sha256: hash.digest('hex'),
      header: found.header,
      plan: { sheetName: chosen.name, parts, sheet },
    };
  });
}

export async function stageXlsx(
  conn: DuckDBConnection,
  ctx: StageContext,
  plan: XlsxPlan,
): Promise<StageResult> {
  const { file, table } = ctx;
  const width = file.header.length;
  const index = new LineIndex();
  const malformed: Malformed[] = [];
  const out = await StagingFile.create(ctx.stagingDir, table);
  try {
    let seenHeader = false;
    await withXlsxErrors(file.path, DEFAULT_MAX_UNZIPPED_BYTES, () =>
      readSheetRows(
        file.path,
        plan.parts,
        plan.sheet,
        async (row) => {
          if (isEmpty(row)) return;
          if (!seenHeader) {
            seenHeader = true;
            return;
          }
          const beyond = row.cells.findIndex((cell, i) => i >= width && cell !== null);
          if (beyond >= 0) {
            malformed.push({
              line: row.number,
              reason: `表头范围以外的第 ${beyond + 1} 列（${columnLetter(beyond + 1)} 列）有内容：请删除该单元格或为该列补上表头`,
            });
            return;
          }
          const values =
            row.cells.length === width
              ? row.cells
              : Array.from({ length: width }, (_, i) => row.cells[i] ?? null);
          out.writeRecord(csvLine(values).slice(0, -1));
          index.push(row.number);
          await out.flushIfFull();
        },
        (bytesRead) => ctx.progress(index.rows, bytesRead),
      ),
    );
    await out.close();
    const rows = await createTableFromCsv(conn, table, out.path, {
      columns: width,
      delimiter: ',',
      header: false,
      longestRecord: out.longestLine,
    });
    if (rows !== index.rows)
      throw new Error(`staging ${file.name}: DuckDB read ${rows} rows, expected ${index.rows}`);
    return { rows, lineOf: index.lineOf, malformed };
  } finally {
    await out.remove();
  }
}
