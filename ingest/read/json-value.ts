/** A strict JSON reader for one record that keeps each top-level value's text as written (numbers unrounded). */
export type JsonRecord =
  { ok: true; entries: [key: string, value: string | null][] } | { ok: false; reason: string };

class JsonSyntaxError extends Error {}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
// raw control characters are not allowed inside JSON strings
// eslint-disable-next-line no-control-regex
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

function skipWs(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

function fail(text: string, i: number): never {
  throw new JsonSyntaxError(i >= text.length ? '内容不完整' : `第 ${i + 1} 个字符“${text[i]}”处`);
}

/** Index just past the string starting at text[i] === '"'. */
function skipString(text: string, i: number): number {
  STRING_BODY.lastIndex = i + 1;
  if (!STRING_BODY.test(text)) fail(text, i);
  return STRING_BODY.lastIndex;
}

/** Index just past the value starting at i (after whitespace). */
export function skipValue(text: string, i: number): number {
  const ch = text[i];
  if (ch === '"') return skipString(text, i);
  if (ch === '{' || ch === '[') {
    const close = ch === '{' ? '}' : ']';
    let j = skipWs(text, i + 1);
    if (text[j] === close) return j + 1;
    for (;;) {
      if (ch === '{') {
        if (text[j] !== '"') fail(text, j);
        j = skipWs(text, skipString(text, j));
        if (text[j] !== ':') fail(text, j);
        j = skipWs(text, j + 1);
      }
      j = skipWs(text, skipValue(text, j));
      if (text[j] === close) return j + 1;
      if (text[j] !== ',') fail(text, j);
      j = skipWs(text, j + 1);
    }
  }
  for (const literal of ['true', 'false', 'null']) if (text.startsWith(literal, i)) return i + literal.length;
  NUMBER.lastIndex = i;
  if (NUMBER.test(text)) return NUMBER.lastIndex;
  return fail(text, i);
}

function stringValue(token: string): string {
  return token.includes('\\') ? (JSON.parse(token) as string) : token.slice(1, -1);
}

/** Nested values as compact JSON text, their tokens unchanged. */
function compact(raw: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') out += raw[++i];
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
      out += ch;
    } else if (ch !== ' ' && ch !== '\t' && ch !== '\n' && ch !== '\r') out += ch;
  }
  return out;
}

function valueText(text: string, start: number, end: number): string | null {
  const ch = text[start];
  if (ch === '"') return stringValue(text.slice(start, end));
  if (ch === '{' || ch === '[') return compact(text.slice(start, end));
  const token = text.slice(start, end);
  return token === 'null' ? null : token;
}

const KIND: Record<string, string> = { '[': '数组', '"': '字符串', t: '布尔值', f: '布尔值', n: 'null' };

export function parseRecord(text: string): JsonRecord {
  try {
    let i = skipWs(text, 0);
    if (text[i] !== '{') {
      const end = skipWs(text, skipValue(text, i));
      if (end < text.length) fail(text, end);
      return { ok: false, reason: `不是 JSON 对象（是${KIND[text[i]!] ?? '数字'}），每条记录应为 {…}` };
    }
    const entries: [string, string | null][] = [];
    i = skipWs(text, i + 1);
    if (text[i] !== '}') {
      for (;;) {
        if (text[i] !== '"') fail(text, i);
        const keyEnd = skipString(text, i);
        const key = stringValue(text.slice(i, keyEnd));
        i = skipWs(text, keyEnd);
        if (text[i] !== ':') fail(text, i);
        const start = skipWs(text, i + 1);
        const end = skipValue(text, start);
        entries.push([key, valueText(text, start, end)]);
        i = skipWs(text, end);
        if (text[i] === '}') break;
        if (text[i] !== ',') fail(text, i);
        i = skipWs(text, i + 1);
      }
    }
    i = skipWs(text, i + 1);
    if (i < text.length) fail(text, i);
    return { ok: true, entries };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { ok: false, reason: `JSON 格式错误：${error.message}` };
    if (error instanceof RangeError) return { ok: false, reason: 'JSON 嵌套过深' };
    throw error;
  }
}
