import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { inputErrors, jsonErrors } from './errors.ts';
import { hasUtf8Bom, strictDecoder, utf16Hint, type Encoding } from './encoding.ts';
import { forEachChunk } from './file-pass.ts';
import { ArraySplitter, JsonStructureError, LineSplitter, type RecordSink } from './json-split.ts';
import { parseRecord } from './json-value.ts';
import { checkHeader, type Malformed } from './header.ts';
import { LineIndex } from './line-index.ts';
import { csvLine } from './csv-fields.ts';
import { createTableFromCsv } from './duckdb-csv.ts';
import { StagingFile } from './staging-file.ts';
import type { StageContext, StageResult } from './types.ts';

const MAX_RECORD_CHARS = 32 * 1024 * 1024;

type JsonFormat = 'json' | 'jsonl';

function splitter(format: JsonFormat, sink: RecordSink) {
  return format === 'json'
    ? new ArraySplitter(sink, MAX_RECORD_CHARS)
    : new LineSplitter(sink, MAX_RECORD_CHARS);
}

/** Decodes the file and feeds records to `sink`; returns false when the text is not valid in `encoding`. */
async function decodeRecords(
  path: string,
  format: JsonFormat,
  encoding: Encoding,
  sink: RecordSink,
  onChunk?: (chunk: Buffer, offset: number) => void | Promise<void>,
): Promise<boolean> {
  const decoder = strictDecoder(encoding);
  const split = splitter(format, sink);
  let valid = true;
  try {
    await forEachChunk(path, async (chunk, offset) => {
      if (valid) {
        let text: string;
        try {
          text = decoder.decode(chunk, { stream: true });
        } catch {
          valid = false;
          text = '';
        }
        split.push(text);
      }
      await onChunk?.(chunk, offset);
    });
    if (!valid) return false;
    try {
      split.push(decoder.decode());
    } catch {
      return false;
    }
    split.finish();
  } catch (error) {
    if (error instanceof JsonStructureError) {
      if (!valid) return false;
      throw jsonErrors.structure(path, error.message);
    }
    throw error;
  }
  return true;
}

const INTEGER_KEY = /^(?:0|[1-9][0-9]*)$/;

/** Keys in written order. JSON.parse is native and fast, but objects list integer-like keys first. */
function recordKeys(text: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const keys = Object.keys(value);
  if (!keys.some((key) => INTEGER_KEY.test(key))) return keys;
  const record = parseRecord(text);
  return record.ok ? record.entries.map(([key]) => key) : [];
}

/** Phase 1: sha256, encoding, and the header as the union of keys in first-seen order. */
export async function inspectJson(
  path: string,
  head: Uint8Array,
  format: JsonFormat,
  forced: Encoding | undefined,
): Promise<{ sha256: string; encoding: Encoding; header: string[] }> {
  const hash = createHash('sha256');
  const collect = () => {
    const keys = new Map<string, true>();
    let records = 0;
    const sink: RecordSink = (text) => {
      records++;
      if (text !== null) for (const key of recordKeys(text)) keys.set(key, true);
    };
    return { keys, sink, records: () => records };
  };
  let encoding: Encoding = forced ?? 'utf-8';
  let found = collect();
  let valid = await decodeRecords(path, format, encoding, found.sink, (chunk) => void hash.update(chunk));
  if (!valid && !forced && !hasUtf8Bom(head)) {
    encoding = 'gb18030';
    found = collect();
    valid = await decodeRecords(path, format, encoding, found.sink);
  }
  if (!valid) {
    if (forced) throw inputErrors.notInEncoding(path, forced === 'utf-8' ? 'UTF-8' : 'GB18030');
    throw inputErrors.undecodable(path, utf16Hint(head));
  }
  if (found.records() === 0) throw inputErrors.empty(path);
  if (found.keys.size === 0) throw jsonErrors.noFields(path);
  return { sha256: hash.digest('hex'), encoding, header: checkHeader(path, [...found.keys.keys()]) };
}

/** Phase 2: records to a staging CSV (values as written in the file), then DuckDB's CSV reader. */
export async function stageJson(
  conn: DuckDBConnection,
  ctx: StageContext,
  format: JsonFormat,
): Promise<StageResult> {
  const { file, table } = ctx;
  const columns = new Map(file.header.map((name, i) => [name, i]));
  const byRawKey = new Map<string, number>();
  const column = (key: string): number => {
    let found = byRawKey.get(key);
    if (found === undefined) {
      found = columns.get(key.trim());
      if (found === undefined) throw inputErrors.changed(file.path);
      byRawKey.set(key, found);
    }
    return found;
  };
  const index = new LineIndex();
  const malformed: Malformed[] = [];
  const out = await StagingFile.create(ctx.stagingDir, table);
  try {
    const sink: RecordSink = (text, line) => {
      if (text === null) {
        malformed.push({ line, reason: `记录超过 ${MAX_RECORD_CHARS / 1024 / 1024} MB` });
        return;
      }
      const record = parseRecord(text);
      if (!record.ok) {
        malformed.push({ line, reason: record.reason });
        return;
      }
      const values: (string | null)[] = new Array(columns.size).fill(null);
      for (const [key, value] of record.entries) values[column(key)] = value;
      out.writeRecord(csvLine(values).slice(0, -1));
      index.push(line);
    };
    const valid = await decodeRecords(
      file.path,
      format,
      file.encoding ?? 'utf-8',
      sink,
      async (chunk, offset) => {
        ctx.progress(index.rows, offset + chunk.length);
        await out.flushIfFull();
      },
    );
    if (!valid) throw inputErrors.changed(file.path);
    await out.close();
    const rows = await createTableFromCsv(conn, table, out.path, {
      columns: columns.size,
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
