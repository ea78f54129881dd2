import { createHash } from 'node:crypto';
import { inputErrors } from './errors.ts';
import {
  DecodeValidator,
  hasUtf8Bom,
  strictDecoder,
  utf16Hint,
  Utf8Validator,
  type Encoding,
} from './encoding.ts';
import { forEachChunk } from './file-pass.ts';
import { CsvScanner, isBlank, MAX_RECORD_BYTES, type CsvRecord } from './csv-scanner.ts';
import { splitRecord } from './csv-fields.ts';
import { checkHeader, reasons, type Malformed } from './header.ts';
import { LineIndex } from './line-index.ts';

/** What phase 1 learns from one pass over a CSV/TSV file; enough for phase 2 to decide how to stage it. */
export interface CsvScan {
  delimiter: ',' | '\t';
  encoding: Encoding;
  header: string[];
  headerLine: number;
  index: LineIndex;
  malformed: Malformed[];
  blankLines: number;
  irregular: boolean;
  longestRecord: number;
}

/** Records of a scan; shared with the rewrite path so both classify records the same way. */
export class RecordSorter {
  readonly index = new LineIndex();
  readonly malformed: Malformed[] = [];
  header: CsvRecord | null = null;
  headerBytes: Uint8Array | null = null;
  blankLines = 0;
  irregular = false;
  longestRecord = 0;

  /** Returns true for a record that is staged. */
  take(rec: CsvRecord): boolean {
    if (isBlank(rec)) {
      this.blankLines++;
      return false;
    }
    if (!this.header) {
      this.header = { ...rec };
      this.headerBytes = rec.bytes ? Buffer.from(rec.bytes) : null;
      if (rec.irregular) this.irregular = true;
      return false;
    }
    const expected = this.header.fields;
    let reason: string | null = null;
    if (rec.unterminated) reason = reasons.unterminated;
    else if (rec.overlong) reason = reasons.overlong(MAX_RECORD_BYTES / 1024 / 1024);
    else if (rec.fields !== expected) reason = reasons.fieldCount(expected, rec.fields);
    if (reason) {
      this.malformed.push({ line: rec.line, reason });
      return false;
    }
    if (rec.irregular) this.irregular = true;
    const bytes = rec.end - rec.start;
    if (bytes > this.longestRecord) this.longestRecord = bytes;
    this.index.push(rec.line);
    return true;
  }
}

export async function inspectCsv(
  path: string,
  head: Uint8Array,
  delimiter: ',' | '\t',
  forced: Encoding | undefined,
): Promise<{ sha256: string; scan: CsvScan }> {
  const hash = createHash('sha256');
  const bom = hasUtf8Bom(head);
  const utf8 = forced === 'gb18030' ? null : new Utf8Validator();
  let gb: DecodeValidator | null = forced === 'gb18030' ? new DecodeValidator('gb18030') : null;
  const sorter = new RecordSorter();
  const scanner = new CsvScanner(
    { delimiter: delimiter.charCodeAt(0), skipBom: bom, capture: true },
    (rec) => {
      sorter.take(rec);
      if (sorter.header) scanner.capture = false;
    },
  );

  await forEachChunk(path, (chunk, offset) => {
    hash.update(chunk);
    if (utf8?.valid) {
      utf8.push(chunk);
      // Chinese text usually shows up in the header, so GB18030 files are nearly always caught in the first chunk
      // and validated in this same pass; later failures need a second pass.
      if (!utf8.valid && offset === 0 && !forced && !bom) gb = new DecodeValidator('gb18030');
    }
    gb?.push(chunk);
    scanner.push(chunk);
  });
  scanner.finish();

  const encoding = await settleEncoding(path, head, forced, bom, utf8, gb);
  const header = sorter.header;
  if (!header) throw inputErrors.empty(path);
  if (header.unterminated) throw inputErrors.headerUnterminated(path);
  if (header.overlong || !sorter.headerBytes) throw inputErrors.recordTooLong(path, MAX_RECORD_BYTES);
  const names = checkHeader(path, splitRecord(strictDecoder(encoding).decode(sorter.headerBytes), delimiter));
  if (sorter.index.rows === 0 && sorter.malformed.length === 0) throw inputErrors.headerOnly(path);

  return {
    sha256: hash.digest('hex'),
    scan: {
      delimiter,
      encoding,
      header: names,
      headerLine: header.line,
      index: sorter.index,
      malformed: sorter.malformed,
      blankLines: sorter.blankLines,
      irregular: sorter.irregular || scanner.loneCR,
      longestRecord: Math.max(sorter.longestRecord, header.end - header.start),
    },
  };
}

/** UTF-8 when every byte is valid UTF-8, else GB18030 when that decodes; a BOM promises UTF-8. */
export async function settleEncoding(
  path: string,
  head: Uint8Array,
  forced: Encoding | undefined,
  bom: boolean,
  utf8: Utf8Validator | null,
  gb: DecodeValidator | null,
): Promise<Encoding> {
  if (utf8?.finish()) return 'utf-8';
  if (forced === 'utf-8') throw inputErrors.notInEncoding(path, 'UTF-8');
  if (bom) throw inputErrors.undecodable(path, '（文件以 UTF-8 BOM 开头，但其中有不是 UTF-8 的字节）');
  let validator = gb;
  if (!validator) {
    const late = new DecodeValidator('gb18030');
    await forEachChunk(path, (chunk) => late.push(chunk));
    validator = late;
  }
  if (validator.finish()) return 'gb18030';
  if (forced === 'gb18030') throw inputErrors.notInEncoding(path, 'GB18030');
  throw inputErrors.undecodable(path, utf16Hint(head));
}
