/**
 * Byte-level CSV state machine: record boundaries, start lines and field counts, without decoding. It works on
 * UTF-8 and GB18030 bytes alike because neither uses the bytes of `"`, `,`, TAB, CR or LF inside multi-byte
 * characters (GB18030 trail bytes are 0x30–0x39, 0x40–0x7E, 0x80–0xFE).
 *
 * Quoting follows RFC 4180 as Excel reads it: `""` inside quotes is a quote; a quote inside an unquoted field is
 * literal; text after a closing quote is appended as written. The last two are "irregular": DuckDB's strict
 * reader may read them differently, so files that contain them go through the rewrite path.
 */
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_SEEN = 3;

export const MAX_RECORD_BYTES = 32 * 1024 * 1024;

export interface CsvRecord {
  line: number; // file line where the record starts (1-based)
  fields: number;
  start: number; // byte offset of the record in the stream
  end: number; // byte offset where its content ends (the line break is not included)
  irregular: boolean;
  unterminated: boolean; // a quoted field still open at end of input
  overlong: boolean; // longer than maxRecordBytes; its bytes were not kept
  bytes: Uint8Array | null; // the content, when capturing
}

export interface CsvScannerOptions {
  delimiter: number;
  skipBom?: boolean;
  capture?: boolean;
  maxRecordBytes?: number;
}

export class CsvScanner {
  /** A CR not followed by LF (old Mac line ends): counted as a line break, but DuckDB is not trusted with it. */
  loneCR = false;
  capture: boolean;
  private readonly delimiter: number;
  private readonly skipBom: boolean;
  private readonly maxRecordBytes: number;
  private state = FIELD_START;
  private line = 1;
  private prevCR = false;
  private base = 0;
  // a Buffer for its indexOf, which is native (memchr) where Uint8Array's is not
  private chunk: Buffer = Buffer.alloc(0);
  // the fast path's next QUOTE, CR and delimiter in `chunk` (chunk.length: none left; −1: not searched yet)
  private quoteAt = -1;
  private crAt = -1;
  private delimAt = -1;
  private head: Uint8Array | null = null;
  private bomSettled = false;
  private carry: Uint8Array[] = [];
  private readonly rec: CsvRecord = {
    line: 1,
    fields: 1,
    start: 0,
    end: 0,
    irregular: false,
    unterminated: false,
    overlong: false,
    bytes: null,
  };

  constructor(
    options: CsvScannerOptions,
    private readonly onRecord: (record: CsvRecord) => void,
  ) {
    this.delimiter = options.delimiter;
    this.skipBom = options.skipBom ?? false;
    this.capture = options.capture ?? false;
    this.maxRecordBytes = options.maxRecordBytes ?? MAX_RECORD_BYTES;
  }

  push(chunk: Uint8Array): void {
    if (!this.skipBom || this.bomSettled) return this.scan(chunk, 0);
    // hold back the first bytes until there are enough to tell whether they are a BOM
    const joined = this.head ? Buffer.concat([this.head, chunk]) : chunk;
    if (joined.length < 3) {
      this.head = joined;
      return;
    }
    this.head = null;
    this.bomSettled = true;
    const bom = joined[0] === 0xef && joined[1] === 0xbb && joined[2] === 0xbf;
    if (bom) this.rec.start = 3;
    this.scan(joined, bom ? 3 : 0);
  }

  private scan(chunk: Uint8Array, from: number): void {
    const n = chunk.length;
    const delim = this.delimiter;
    const rec = this.rec;
    this.chunk = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.quoteAt = this.crAt = this.delimAt = -1;
    let i = from;
    let state = this.state;
    let prevCR = this.prevCR;
    // a record starts here (first chunk, after a BOM, or the last chunk ended with a line break)
    if (state === FIELD_START && !prevCR && rec.start === this.base + i) i = this.fastRecords(i);
    for (; i < n; i++) {
      const b = chunk[i]!;
      if (prevCR) {
        prevCR = false;
        if (b === LF) {
          if (state !== QUOTED) {
            rec.start = this.base + i + 1;
            i = this.fastRecords(i + 1) - 1;
          }
          continue;
        }
        this.loneCR = true;
      }
      switch (state) {
        case FIELD_START:
          if (b === QUOTE) state = QUOTED;
          else if (b === delim) rec.fields++;
          else if (b === LF) {
            state = this.endRecord(i);
            i = this.fastRecords(i + 1) - 1;
          } else if (b === CR) {
            state = this.endRecord(i);
            prevCR = true;
          } else state = UNQUOTED;
          break;
        case UNQUOTED:
          if (b === delim) {
            rec.fields++;
            state = FIELD_START;
          } else if (b === LF) {
            state = this.endRecord(i);
            i = this.fastRecords(i + 1) - 1;
          } else if (b === CR) {
            state = this.endRecord(i);
            prevCR = true;
          } else if (b === QUOTE) rec.irregular = true;
          break;
        case QUOTED:
          if (b === QUOTE) state = QUOTE_SEEN;
          else if (b === LF) this.line++;
          else if (b === CR) {
            this.line++;
            prevCR = true;
          }
          break;
        default: // QUOTE_SEEN
          if (b === QUOTE) state = QUOTED;
          else if (b === delim) {
            rec.fields++;
            state = FIELD_START;
          } else if (b === LF) {
            state = this.endRecord(i);
            i = this.fastRecords(i + 1) - 1;
          } else if (b === CR) {
            state = this.endRecord(i);
            prevCR = true;
          } else {
            rec.irregular = true;
            state = UNQUOTED;
          }
      }
    }
    this.state = state;
    this.prevCR = prevCR;
    this.keepPartialRecord(n);
    this.base += n;
  }

  /**
   * From the start of a record at `from`, takes every following record whose bytes hold no quote and no lone CR
   * with native searches instead of the byte loop: there the state machine only counts delimiters up to the line
   * break, so the result is the same. Returns where the byte loop resumes, always at the start of a record.
   * Field counts stay exact (every delimiter is found, ~10 ns each) so that malformed records are still known after
   * phase 1 and a clean file is never first handed to DuckDB only to fail there.
   */
  private fastRecords(from: number): number {
    const buffer = this.chunk;
    const n = buffer.length;
    const delim = this.delimiter;
    const rec = this.rec;
    const base = this.base;
    let quoteAt = this.quoteAt;
    if (quoteAt < from) quoteAt = this.quoteAt = nextIndex(buffer, QUOTE, from, n);
    let crAt = this.crAt;
    let delimAt = this.delimAt;
    let s = from;
    for (;;) {
      const lf = buffer.indexOf(LF, s);
      // a record running past the chunk or into a quote is left to the byte loop
      if (lf === -1 || lf > quoteAt) break;
      const end = lf > s && buffer[lf - 1] === CR ? lf - 1 : lf;
      if (crAt < s) crAt = nextIndex(buffer, CR, s, n);
      if (crAt < end) break;
      let fields = 1;
      if (delimAt < s) delimAt = nextIndex(buffer, delim, s, n);
      while (delimAt < end) {
        fields++;
        delimAt = nextIndex(buffer, delim, delimAt + 1, n);
      }
      rec.fields = fields;
      this.emit(base + end);
      rec.line = ++this.line;
      rec.start = base + lf + 1;
      s = lf + 1;
    }
    this.crAt = crAt;
    this.delimAt = delimAt;
    return s;
  }

  /** Emits the last record if the input does not end with a line break. */
  finish(): void {
    if (this.head) {
      this.bomSettled = true;
      this.scan(this.head, 0);
      this.head = null;
    }
    const rec = this.rec;
    const end = this.base;
    if (end > rec.start || rec.fields > 1 || this.state !== FIELD_START) {
      rec.unterminated = this.state === QUOTED;
      this.chunk = Buffer.alloc(0);
      this.emit(end);
    }
    this.carry = [];
  }

  private endRecord(i: number): number {
    this.emit(this.base + i);
    const rec = this.rec;
    this.line++;
    rec.line = this.line;
    rec.start = this.base + i + 1;
    return FIELD_START;
  }

  private emit(end: number): void {
    const rec = this.rec;
    rec.end = end;
    if (end - rec.start > this.maxRecordBytes) rec.overlong = true;
    rec.bytes = this.capture && !rec.overlong ? this.captured(end) : null;
    this.onRecord(rec);
    rec.fields = 1;
    rec.irregular = false;
    rec.unterminated = false;
    rec.overlong = false;
    rec.bytes = null;
    // not a new array per record: the fast path emits millions
    if (this.carry.length > 0) this.carry = [];
  }

  private captured(end: number): Uint8Array {
    const from = Math.max(0, this.rec.start - this.base);
    const tail = this.chunk.subarray(from, end - this.base);
    if (this.carry.length === 0) return tail;
    return Buffer.concat([...this.carry, tail]);
  }

  private keepPartialRecord(n: number): void {
    const rec = this.rec;
    if (!this.capture || rec.overlong) return;
    if (this.base + n - rec.start > this.maxRecordBytes) {
      rec.overlong = true;
      this.carry = [];
      return;
    }
    const from = Math.max(0, rec.start - this.base);
    if (from < n) this.carry.push(this.chunk.subarray(from, n));
  }
}

function nextIndex(buffer: Buffer, byte: number, from: number, none: number): number {
  const at = buffer.indexOf(byte, from);
  return at === -1 ? none : at;
}

export function isBlank(record: CsvRecord): boolean {
  return record.end === record.start && record.fields === 1 && !record.unterminated;
}
