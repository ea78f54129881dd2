import ExcelJS from 'exceljs';
import type { Readable } from 'node:stream';
import { cellText } from './xlsx-cells.ts';
import { entryStream, type EntryStream, type ZipEntry } from './xlsx-zip.ts';
import type { WorkbookParts } from './xlsx-sheets.ts';

export interface SheetRow {
  /** The sheet row number (1-based, as Excel shows it). */
  number: number;
  /** Text per column, index 0 = column A; trailing empty cells are not included. */
  cells: (string | null)[];
}

/**
 * exceljs 4.4.0's streaming WorkbookReader unzips in one pass and can lose the last entries (exceljs#3064): with
 * xl/workbook.xml last it throws, and with xl/sharedStrings.xml last every text cell would come out empty. So its
 * part parsers are fed here, in dependency order, from our own central-directory reader. These are internal
 * methods; package.json pins exceljs to 4.4.0 and test/ingest-read/xlsx.test.ts covers them.
 */
interface ReaderInternals {
  properties?: { model?: { date1904?: boolean } };
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(iterator: Readable, sheetNo: string): Generator<{ value: AsyncIterable<ExcelJS.Row> }>;
}

async function withEntry<T>(path: string, entry: ZipEntry, use: (e: EntryStream) => Promise<T>): Promise<T> {
  const opened = await entryStream(path, entry);
  try {
    return await use(opened);
  } finally {
    opened.close();
  }
}

/** Streams the rows of one worksheet; `visit` returns false to stop early. */
export async function readSheetRows(
  path: string,
  parts: WorkbookParts,
  sheet: ZipEntry,
  visit: (row: SheetRow) => boolean | void | Promise<boolean | void>,
  onBytes?: (bytesRead: number) => void,
): Promise<void> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  }) as unknown as ReaderInternals;
  await withEntry(path, parts.workbook, (e) => reader._parseWorkbook(e.stream));
  if (parts.sharedStrings) {
    // in 'cache' mode the generator yields nothing and keeps the strings on the reader
    await withEntry(path, parts.sharedStrings, (e) => drain(reader._parseSharedStrings(e.stream)));
  }
  if (parts.styles) await withEntry(path, parts.styles, (e) => reader._parseStyles(e.stream));
  const date1904 = Boolean(reader.properties?.model?.date1904);
  await withEntry(path, sheet, async (e) => {
    let previous = 0;
    for (const { value: worksheet } of reader._parseWorksheet(e.stream, '1')) {
      for await (const row of worksheet) {
        const number = Number.isInteger(row.number) && row.number > 0 ? row.number : previous + 1;
        previous = number;
        const cells: (string | null)[] = [];
        row.eachCell({ includeEmpty: false }, (cell, column) => {
          const text = cellText(cell.value, cell.numFmt, date1904);
          if (text !== null) {
            while (cells.length < column - 1) cells.push(null);
            cells[column - 1] = text;
          }
        });
        onBytes?.(e.bytesRead());
        if ((await visit({ number, cells })) === false) return;
      }
    }
  });
}

async function drain(generator: AsyncGenerator<unknown>): Promise<void> {
  while (!(await generator.next()).done);
}
