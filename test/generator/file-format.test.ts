import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLUMNS } from '../../fixtures/generator/columns.ts';
import { EXCHANGE_TABLES, type Manifest } from '../../fixtures/generator/manifest.ts';
import { generateInto } from './generated-data.ts';

let dir: string;
let manifest: Manifest;
const files: Record<string, string> = {};
beforeAll(async () => {
  ({ dir, manifest } = await generateInto({ cases: 2_000, seed: 5 }));
  for (const t of EXCHANGE_TABLES) files[t] = await readFile(join(dir, `${t}.csv`), 'utf8');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

describe('exchange files (contract.md)', () => {
  it('are UTF-8 without BOM, LF line ends, canonical headers, and row counts as in the manifest', () => {
    for (const t of EXCHANGE_TABLES) {
      const text = files[t] as string;
      expect(text.charCodeAt(0)).not.toBe(0xfeff);
      expect(text.includes('\r')).toBe(false);
      expect(text.endsWith('\n')).toBe(true);
      const lines = text.slice(0, -1).split('\n');
      expect(lines[0]).toBe(COLUMNS[t].join(','));
      expect([t, lines.length - 1]).toEqual([t, manifest.rows[t]]);
    }
  });

  it('write dates as YYYY-MM-DD, timestamps as YYYY-MM-DD HH:MM:SS, bools as true/false, null as empty', () => {
    for (const t of EXCHANGE_TABLES) {
      const [header, ...rows] = (files[t] as string).slice(0, -1).split('\n');
      const columns = (header as string).split(',');
      for (const row of rows) {
        // no generated value needs quoting, so a plain split is exact
        const cells = row.split(',');
        expect(cells).toHaveLength(columns.length);
        columns.forEach((c, i) => {
          const v = cells[i] as string;
          if (v === '') return;
          if (c.endsWith('_at')) expect([c, v]).toEqual([c, expect.stringMatching(TIMESTAMP)]);
          else if (c.endsWith('_on') || c === 'birth_date')
            expect([c, v]).toEqual([c, expect.stringMatching(DATE)]);
          else if (['plea', 'fast_track', 'is_minor', 'major_case', 'one_stop', 'minor_victim'].includes(c))
            expect(['true', 'false']).toContain(v);
          expect(v).not.toMatch(/^(NULL|null|-|无)$/);
        });
      }
    }
  });

  it('manifest names the arguments and the as_of date', () => {
    expect(manifest).toMatchObject({
      seed: 5,
      cases: 2_000,
      from: '2022-01-01',
      to: '2025-12-31',
      as_of: '2025-12-31',
    });
    expect(manifest.generated_with).toMatch(/^zhenjian \S+ generator r\d+$/);
  });

  it('app-records.json holds the app-kept tables, consistent with the exchange data', async () => {
    const app = JSON.parse(await readFile(join(dir, 'app-records.json'), 'utf8')) as Record<
      string,
      Record<string, unknown>[]
    >;
    expect(Object.keys(app)).toEqual([
      'review_campaigns',
      'reviews',
      'review_findings',
      'inspection_campaigns',
      'inspection_findings',
      'meetings',
      'meeting_actions',
    ]);
    const decisions = new Map(
      (files.decisions as string)
        .split('\n')
        .slice(1)
        .map((l) => l.split(','))
        .map((c) => [c[0], c[8]]),
    );
    expect(app.review_campaigns?.length).toBeGreaterThanOrEqual(2);
    for (const c of app.review_campaigns ?? []) {
      const sample = c.sample as string[];
      expect(sample.length).toBe(c.size);
      for (const id of sample) expect(['不批准逮捕', '不起诉']).toContain(decisions.get(id));
    }
    const sampled = new Set((app.review_campaigns ?? []).flatMap((c) => c.sample as string[]));
    for (const r of app.reviews ?? []) expect(sampled.has(r.decision_id as string)).toBe(true);
    const reviews = new Set((app.reviews ?? []).map((r) => r.review_id));
    for (const f of app.review_findings ?? []) expect(reviews.has(f.review_id)).toBe(true);
    const meetings = app.meetings ?? [];
    expect(meetings.filter((m) => m.level === '市级').length).toBeGreaterThanOrEqual(12);
    const meetingIds = new Set(meetings.map((m) => m.meeting_id));
    for (const a of app.meeting_actions ?? []) expect(meetingIds.has(a.meeting_id)).toBe(true);
    expect(manifest.app_records.meeting_actions).toBe(app.meeting_actions?.length);
  });
});
