import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { generateInto } from './generated-data.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function hashes(options: { seed: number }): Promise<Record<string, string>> {
  const { dir } = await generateInto({ cases: 3_000, ...options });
  dirs.push(dir);
  const out: Record<string, string> = {};
  for (const file of (await readdir(dir)).sort())
    out[file] = createHash('sha256')
      .update(await readFile(join(dir, file)))
      .digest('hex');
  return out;
}

it('gives identical files for the same arguments and different ones for another seed', async () => {
  const first = await hashes({ seed: 42 });
  const again = await hashes({ seed: 42 });
  const other = await hashes({ seed: 43 });
  expect(Object.keys(first)).toEqual([
    'app-records.json',
    'cases.csv',
    'decisions.csv',
    'events.csv',
    'manifest.json',
    'measures.csv',
    'property.csv',
    'supervision.csv',
    'suspects.csv',
  ]);
  expect(again).toEqual(first);
  for (const file of Object.keys(first)) expect([file, other[file]]).not.toEqual([file, first[file]]);
});
