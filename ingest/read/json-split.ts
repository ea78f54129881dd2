/**
 * Cuts decoded JSON text into records without holding the file: the elements of a top-level array, or the lines
 * of a JSON lines file. Each record's text goes to `onRecord` with its contract line: the 1-based element index,
 * or the file line. Records longer than `maxChars` are passed as null (reported, not parsed).
 */
export type RecordSink = (text: string | null, line: number) => void;

export class JsonStructureError extends Error {}

const BEFORE = 0;
const EXPECT_ELEMENT = 1;
const IN_ELEMENT = 2;
const AFTER_ELEMENT = 3;
const DONE = 4;

export class ArraySplitter {
  private state = BEFORE;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private pieces: string[] = [];
  private pieceChars = 0;
  private tooLong = false;
  private count = 0;

  constructor(
    private readonly onRecord: RecordSink,
    private readonly maxChars: number,
  ) {}

  push(text: string): void {
    let start = this.state === IN_ELEMENT ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (this.state === IN_ELEMENT) {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (ch === 0x5c) this.escaped = true;
          else if (ch === 0x22) {
            this.inString = false;
            if (this.depth === 0) this.finishElement(text, start, i + 1, AFTER_ELEMENT);
          }
        } else if (ch === 0x22) this.inString = true;
        else if (ch === 0x7b || ch === 0x5b) this.depth++;
        else if (ch === 0x7d || ch === 0x5d) {
          if (this.depth === 0) this.finishElement(text, start, i, AFTER_ELEMENT, ch);
          else if (--this.depth === 0) this.finishElement(text, start, i + 1, AFTER_ELEMENT);
        } else if (this.depth === 0 && (ch === 0x2c || isWs(ch)))
          this.finishElement(text, start, i, AFTER_ELEMENT, ch);
        continue;
      }
      if (isWs(ch)) continue;
      if (this.state === BEFORE) {
        if (ch !== 0x5b) throw new JsonStructureError('文件不是以 [ 开头的 JSON 数组');
        this.state = EXPECT_ELEMENT;
      } else if (this.state === EXPECT_ELEMENT || this.state === AFTER_ELEMENT) {
        if (ch === 0x5d) this.state = DONE;
        else if (this.state === AFTER_ELEMENT && ch === 0x2c) this.state = EXPECT_ELEMENT;
        else if (this.state === AFTER_ELEMENT)
          throw new JsonStructureError(`第 ${this.count} 个元素之后缺少逗号`);
        else {
          this.state = IN_ELEMENT;
          start = i;
          i--; // the first character of the element is read in the element state
        }
      } else {
        throw new JsonStructureError('数组的结束符 ] 之后还有内容');
      }
    }
    if (this.state === IN_ELEMENT) this.keep(text.slice(start));
  }

  finish(): void {
    if (this.state === IN_ELEMENT && this.depth === 0 && !this.inString)
      this.finishElement('', 0, 0, AFTER_ELEMENT);
    if (this.state !== DONE) throw new JsonStructureError('JSON 数组没有正常结束（缺少 ]），文件可能不完整');
  }

  private finishElement(text: string, start: number, end: number, next: number, reread?: number): void {
    this.count++;
    this.keep(text.slice(start, end));
    this.onRecord(this.tooLong ? null : this.pieces.join(''), this.count);
    this.pieces = [];
    this.pieceChars = 0;
    this.tooLong = false;
    this.depth = 0;
    this.state = next;
    if (reread === 0x5d) this.state = DONE;
    else if (reread === 0x2c) this.state = EXPECT_ELEMENT;
  }

  private keep(piece: string): void {
    if (this.tooLong || piece === '') return;
    this.pieceChars += piece.length;
    if (this.pieceChars > this.maxChars) {
      this.tooLong = true;
      this.pieces = [];
      return;
    }
    this.pieces.push(piece);
  }
}

export class LineSplitter {
  private pieces: string[] = [];
  private pieceChars = 0;
  private tooLong = false;
  private line = 1;

  constructor(
    private readonly onRecord: RecordSink,
    private readonly maxChars: number,
  ) {}

  push(text: string): void {
    let from = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
      this.keep(text.slice(from, nl));
      this.flushLine();
      from = nl + 1;
    }
    this.keep(text.slice(from));
  }

  finish(): void {
    if (this.pieceChars > 0 || this.tooLong) this.flushLine();
  }

  private flushLine(): void {
    const text = this.tooLong ? null : this.pieces.join('');
    if (text === null || text.trim() !== '') this.onRecord(text, this.line);
    this.line++;
    this.pieces = [];
    this.pieceChars = 0;
    this.tooLong = false;
  }

  private keep(piece: string): void {
    if (this.tooLong || piece === '') return;
    this.pieceChars += piece.length;
    if (this.pieceChars > this.maxChars) {
      this.tooLong = true;
      this.pieces = [];
      return;
    }
    this.pieces.push(piece);
  }
}

function isWs(ch: number): boolean {
  return ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09;
}
