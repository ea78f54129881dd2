import { inputErrors } from './errors.ts';

/** Header names as written: a UTF-8 BOM and surrounding whitespace removed; none empty, none repeated. */
export function checkHeader(path: string, raw: readonly string[]): string[] {
  const names = raw.map((name, i) => (i === 0 ? name.replace(/^\uFEFF/, '') : name).trim());
  names.forEach((name, i) => {
    if (name === '') throw inputErrors.emptyHeaderName(path, i + 1);
  });
  const seen = new Map<string, number[]>();
  names.forEach((name, i) => seen.set(name, [...(seen.get(name) ?? []), i + 1]));
  for (const [name, positions] of seen) {
    if (positions.length > 1) throw inputErrors.duplicateHeaderName(path, name, positions);
  }
  return names;
}

export interface Malformed {
  line: number;
  reason: string;
}

export const reasons = {
  fieldCount: (expected: number, actual: number) =>
    `列数与表头不一致：应为 ${expected} 列，实为 ${actual} 列`,
  unterminated: '引号未闭合：本行开始的带引号字段直到文件末尾都没有结束引号',
  overlong: (limitMb: number) => `记录超过 ${limitMb} MB，可能是引号未闭合`,
};
