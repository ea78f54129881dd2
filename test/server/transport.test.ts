import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/open.ts';
import { addUser } from '../../src/server/auth/users.ts';
import { tempDir } from '../helpers/db.ts';
import { loadModuleFixture } from '../helpers/modules.ts';
import { PASSWORD, withServer, type TestServer } from '../helpers/server.ts';

/**
 * test/fixtures/modules/transport is the pending fixture (as_of 2025-06-30, worked in
 * test/queries/pending-cases.test.ts) with police units a spreadsheet would run as formulas: P10 `=1+2` (预警,
 * days_over −90), P3 `+86三里屯派出所` (挂案, 1 day over), P9 `-三里屯派出所`, P4 `@三里屯派出所` (预警, 0).
 * For the size comparison 1,200 more cases go in beside it: Q0001…Q1200 in 东城 filed 2022-03-01, 侦查中 with no
 * measure — each past Rule C (two years from filing) on 2024-03-01, so 486 days over at 2025-06-30.
 */
const FIXTURE = 'test/fixtures/modules/transport';
const ARROW = 'application/vnd.apache.arrow.stream';
const PURPOSE = encodeURIComponent('监督核查');

async function prepareWith(db: Database, bulk: number): Promise<void> {
  const t = tempDir();
  try {
    for (const f of readdirSync(FIXTURE)) copyFileSync(join(FIXTURE, f), join(t.dir, f));
    const extra = Array.from(
      { length: bulk },
      (_, i) => `Q${String(i + 1).padStart(4, '0')},110101,东城分局刑侦支队,盗窃罪,2022-03-01,侦查中,`,
    );
    if (extra.length > 0)
      writeFileSync(
        join(t.dir, 'cases.csv'),
        `${readFileSync(join(t.dir, 'cases.csv'), 'utf8')}${extra.join('\n')}\n`,
      );
    await loadModuleFixture(db, t.dir, '2025-06-30');
  } finally {
    t.cleanup();
  }
  await addUser(db.conn, { username: 'city1', role: 'city', agency: '检察', password: PASSWORD });
}

/** A JSON value as the Arrow column of its type carries it (queries/output/arrow.ts). */
function fromJson(type: string, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.join('；');
  if (type === 'TIMESTAMP') return new Date(`${(v as string).replace(' ', 'T')}Z`).getTime();
  return v;
}

/** An Arrow cell back to JSON's form: DateDay → YYYY-MM-DD, timestamps as epoch ms. */
function fromArrow(type: string, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (type === 'DATE')
    return new Date(v instanceof Date ? v.getTime() : (v as number)).toISOString().slice(0, 10);
  if (type === 'TIMESTAMP') return v instanceof Date ? v.getTime() : Number(v);
  if (typeof v === 'bigint') return Number(v);
  return v;
}

async function both(s: TestServer, cookie: string, path: string) {
  const jsonRes = await s.fetch(path, { cookie });
  expect(jsonRes.status, path).toBe(200);
  const jsonText = await jsonRes.text();
  const arrowRes = await s.fetch(path, { cookie, headers: { accept: ARROW } });
  expect(arrowRes.status, path).toBe(200);
  expect(arrowRes.headers.get('content-type')).toBe(ARROW);
  const arrowBytes = new Uint8Array(await arrowRes.arrayBuffer());
  const json = JSON.parse(jsonText) as {
    columns: { name: string; type: string }[];
    rows: Record<string, unknown>[];
  };
  const table = tableFromIPC(arrowBytes);
  const arrowRows = table.toArray().map((r) => {
    const o = (r as { toJSON(): Record<string, unknown> }).toJSON();
    return Object.fromEntries(json.columns.map((c) => [c.name, fromArrow(c.type, o[c.name])]));
  });
  const jsonRows = json.rows.map((r) =>
    Object.fromEntries(json.columns.map((c) => [c.name, fromJson(c.type, r[c.name])])),
  );
  // TIMESTAMP text in JSON vs epoch ms in Arrow: compare in one form
  for (const r of arrowRows)
    for (const c of json.columns)
      if (c.type === 'DATE' && r[c.name] !== null) expect(r[c.name]).toMatch(/^\d{4}-\d\d-\d\d$/);
  expect(table.schema.fields.map((f) => f.name)).toEqual(json.columns.map((c) => c.name));
  expect(arrowRows, path).toEqual(jsonRows);
  return { json, jsonBytes: Buffer.byteLength(jsonText), arrowBytes: arrowBytes.byteLength };
}

describe('transport: Arrow IPC, CSV and XLSX carry the same rows as JSON', () => {
  it('Arrow decodes to the JSON rows (dates, numbers, booleans, nulls); ≥ 1,000 rows take at most half the bytes', async () => {
    await withServer(
      async (s) => {
        const cookie = await s.login('city1');
        // dates, nulls (suspect_id, closed dates), integers, doubles (rates), booleans, timestamps, aggregates
        const paths = [
          'pending-cases?include_warnings=true',
          'measure-overruns',
          'fast-track-48h',
          'data-flow-lag?level=detail',
          'case-filings?group_by=month',
          'decision-rates?group_by=charge',
          'review-sample?seed=1',
          'file-receipt?all=true',
          'pending-clearance?from=2025-01-01',
        ];
        const covered = new Set<string>();
        for (const p of paths) {
          const { json } = await both(s, cookie, `/api/v1/queries/${p}`);
          for (const c of json.columns) if (json.rows.some((r) => r[c.name] !== null)) covered.add(c.type);
          if (json.columns.some((c) => json.rows.some((r) => r[c.name] === null))) covered.add('null');
        }
        expect([...covered].sort()).toEqual(
          expect.arrayContaining(['BIGINT', 'BOOLEAN', 'DATE', 'DOUBLE', 'INTEGER', 'VARCHAR', 'null']),
        );

        // 1,200 bulk cases + the fixture's 7 挂案 and 2 预警
        const big = await both(s, cookie, '/api/v1/queries/pending-cases?include_warnings=true');
        expect(big.json.rows).toHaveLength(1_209);
        const q1 = big.json.rows.find((r) => r.case_id === 'Q0001')!;
        expect([q1.filed_on, q1.deadline, q1.days_over, q1.rule]).toEqual([
          '2022-03-01',
          '2024-03-01',
          486,
          'C',
        ]);
        const ratio = big.arrowBytes / big.jsonBytes;
        expect(
          ratio,
          `Arrow ${big.arrowBytes} B / JSON ${big.jsonBytes} B = ${ratio.toFixed(3)}`,
        ).toBeLessThanOrEqual(0.5);
      },
      { prepare: (db) => prepareWith(db, 1_200) },
    );
  });

  it('CSV: BOM, Chinese labels, formula-like text escaped with a quote, numbers (also negative) left alone', async () => {
    await withServer(
      async (s) => {
        const cookie = await s.login('city1');
        const res = await s.fetch(
          `/api/v1/queries/pending-cases?include_warnings=true&format=csv&purpose=${PURPOSE}`,
          { cookie },
        );
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        const bytes = new Uint8Array(await res.arrayBuffer());
        expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        const lines = new TextDecoder().decode(bytes.slice(3)).trim().split('\r\n');
        const header = lines[0]!.split(',');
        expect(header.slice(0, 4)).toEqual(['案件编号', '确定期限的嫌疑人', '区划', '办案单位']);
        const col = (label: string) => header.indexOf(label);
        const unit = col('办案单位');
        const over = header.findIndex((h) => h.includes('天数'));
        expect(over).toBeGreaterThan(0);
        const rowOf = (id: string) => lines.find((l) => l.startsWith(`${id},`))!.split(',');
        // 7 挂案 + P4 and P10 预警
        expect(lines).toHaveLength(1 + 9);
        expect(rowOf('P10')[unit]).toBe("'=1+2");
        expect(rowOf('P10')[over]).toBe('-90');
        expect(rowOf('P3')[unit]).toBe("'+86三里屯派出所");
        expect(rowOf('P3')[over]).toBe('1');
        expect(rowOf('P9')[unit]).toBe("'-三里屯派出所");
        expect(rowOf('P4')[unit]).toBe("'@三里屯派出所");
        expect(rowOf('P4')[over]).toBe('0');
        expect(rowOf('P1')[unit]).toBe('朝阳分局刑侦支队');
        // no cell outside the escaped ones starts with a formula character unless it is a number
        for (const l of lines.slice(1))
          for (const cell of l.split(','))
            if (/^[=+\-@\t\r]/.test(cell)) expect(cell, l).toMatch(/^-\d+(\.\d+)?$/);
      },
      { prepare: (db) => prepareWith(db, 0) },
    );
  });

  it('XLSX opens with exceljs: labels in row 1, numbers as numbers; the export row cap is a 400 in Chinese', async () => {
    await withServer(
      async (s) => {
        const cookie = await s.login('city1');
        const xlsx = await s.fetch(
          `/api/v1/queries/pending-cases?include_warnings=true&format=xlsx&purpose=${PURPOSE}`,
          {
            cookie,
          },
        );
        // exportRowCap 2: nine rows are too many
        expect(xlsx.status).toBe(400);
        expect((await xlsx.json()).error.message).toBe(
          '结果有 9 行，超过导出上限 2 行：请缩小时间范围或按区、单位筛选后再导出。',
        );
        const csv = await s.fetch(
          `/api/v1/queries/pending-cases?format=csv&purpose=${PURPOSE}&district=110108`,
          {
            cookie,
          },
        );
        expect(csv.status).toBe(200);
        // P8 alone (中关村派出所) is within the cap
        const res = await s.fetch(
          `/api/v1/queries/pending-cases?format=xlsx&purpose=${PURPOSE}&district=110108`,
          { cookie },
        );
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe(
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        );
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
        const ws = wb.worksheets[0]!;
        const labels = (ws.getRow(1).values as unknown[]).slice(1);
        expect(labels.slice(0, 4)).toEqual(['案件编号', '确定期限的嫌疑人', '区划', '办案单位']);
        expect(ws.rowCount).toBe(2);
        const row = (ws.getRow(2).values as unknown[]).slice(1);
        expect(row[0]).toBe('P8');
        const overAt = labels.findIndex((l) => String(l).includes('天数'));
        expect(typeof row[overAt]).toBe('number');
        expect(row[overAt]).toBeGreaterThan(0);
      },
      { prepare: (db) => prepareWith(db, 0), start: { config: { exportRowCap: 2 } } },
    );
  });
});
