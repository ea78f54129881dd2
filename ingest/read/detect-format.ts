import { extname } from 'node:path';
import { inputErrors } from './errors.ts';

export type Format = 'csv' | 'tsv' | 'xlsx' | 'json' | 'jsonl' | 'parquet';

const startsWith = (head: Uint8Array, magic: number[]) => magic.every((b, i) => head[i] === b);
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const PARQUET = [0x50, 0x41, 0x52, 0x31];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0];

/** By magic bytes for binary formats (the content beats a wrong extension), by extension, then by content. */
export function detectFormat(path: string, head: Uint8Array): Format {
  const ext = extname(path).toLowerCase();
  if (startsWith(head, ZIP)) return 'xlsx';
  if (startsWith(head, PARQUET)) return 'parquet';
  if (startsWith(head, OLE2)) throw inputErrors.legacyXls(path);
  if (ext === '.xlsx' || ext === '.xlsm' || ext === '.parquet' || ext === '.pq')
    throw inputErrors.unknownFormat(path);

  const first = firstSignificantByte(head);
  if (first === 0x3c /* < : HTML pretending to be a spreadsheet */) throw inputErrors.unknownFormat(path);
  if (JSON_EXTENSIONS.has(ext) || !TEXT_EXTENSIONS.has(ext)) {
    if (first === 0x5b) return 'json';
    if (first === 0x7b) return 'jsonl';
    if (JSON_EXTENSIONS.has(ext)) throw inputErrors.unknownFormat(path);
  }
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  return delimiterOfFirstLine(head) === 0x09 ? 'tsv' : 'csv';
}

const JSON_EXTENSIONS = new Set(['.json', '.jsonl', '.ndjson']);
const TEXT_EXTENSIONS = new Set(['.csv', '.tsv', '.tab', '.txt', '.xls']);

function firstSignificantByte(head: Uint8Array): number | undefined {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d))
    i++;
  return head[i];
}

/** Tab when the header line has at least as many tabs as commas (names may contain commas, rarely tabs). */
function delimiterOfFirstLine(head: Uint8Array): number {
  let tabs = 0;
  let commas = 0;
  let quoted = false;
  for (let i = 0; i < head.length; i++) {
    const b = head[i];
    if (b === 0x22) quoted = !quoted;
    else if (quoted) continue;
    else if (b === 0x0a || b === 0x0d) {
      if (tabs + commas > 0) break;
    } else if (b === 0x09) tabs++;
    else if (b === 0x2c) commas++;
  }
  return tabs > 0 && tabs >= commas ? 0x09 : 0x2c;
}
