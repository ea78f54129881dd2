import { isUtf8 } from 'node:buffer';
import { inputErrors } from './errors.ts';

export type Encoding = 'utf-8' | 'gb18030';

const ALIASES: Record<string, Encoding> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  gb18030: 'gb18030',
  // GBK and GB2312 are subsets of GB18030, and the WHATWG gb18030 decoder also takes GBK's lone 0x80 (€)
  gbk: 'gb18030',
  gb2312: 'gb18030',
};

export function encodingOption(path: string, given: string | undefined): Encoding | undefined {
  if (given === undefined || given === '') return undefined;
  const encoding = ALIASES[given.trim().toLowerCase()];
  if (!encoding) throw inputErrors.unknownEncoding(path, given);
  return encoding;
}

export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** UTF-16 is what Excel's "Unicode text" export writes; naming it makes the encoding error actionable. */
export function utf16Hint(head: Uint8Array): string {
  const le = head[0] === 0xff && head[1] === 0xfe;
  const be = head[0] === 0xfe && head[1] === 0xff;
  return le || be ? '（这是 UTF-16 编码，Excel 的“Unicode 文本”会这样保存；请改存为“CSV UTF-8”）' : '';
}

/** Strict streaming UTF-8 check; isUtf8 is native and far faster than decoding when the text itself is not needed. */
export class Utf8Validator {
  private carry: Uint8Array | null = null;
  valid = true;

  push(chunk: Uint8Array): void {
    if (!this.valid) return;
    let bytes = chunk;
    if (this.carry) {
      bytes = Buffer.concat([this.carry, chunk]);
      this.carry = null;
    }
    const cut = completeLength(bytes);
    if (cut < bytes.length) this.carry = bytes.slice(cut);
    if (!isUtf8(bytes.subarray(0, cut))) this.valid = false;
  }

  finish(): boolean {
    if (this.carry) this.valid = false;
    return this.valid;
  }
}

/** Length of the prefix that does not end inside a multi-byte sequence (invalid bytes are left to isUtf8). */
function completeLength(bytes: Uint8Array): number {
  const end = bytes.length;
  for (let back = 1; back <= 4 && back <= end; back++) {
    const b = bytes[end - back]!;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? end - back : end;
  }
  return end;
}

export function strictDecoder(encoding: Encoding): TextDecoder {
  return new TextDecoder(encoding, { fatal: true });
}

/** Runs a strict decoder over chunks and reports whether every byte decoded, without keeping the text. */
export class DecodeValidator {
  private readonly decoder: TextDecoder;
  valid = true;

  constructor(encoding: Encoding) {
    this.decoder = strictDecoder(encoding);
  }

  push(chunk: Uint8Array): void {
    if (!this.valid) return;
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      this.valid = false;
    }
  }

  finish(): boolean {
    if (!this.valid) return false;
    try {
      this.decoder.decode();
    } catch {
      this.valid = false;
    }
    return this.valid;
  }
}
