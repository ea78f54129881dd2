import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadGenerated, sqlFile, type GeneratedData } from './generated-data.ts';

let data: GeneratedData;
beforeAll(async () => {
  data = await loadGenerated({ seed: 7 });
});
afterAll(async () => {
  await data?.cleanup();
});

it('keeps every record at least the margin away from every threshold', async () => {
  let sql = await sqlFile('margins.sql');
  for (const name of ['supervision-overdue', 'pending-cases', 'fast-track']) {
    // the module queries nest as sub-queries; their comment headers would swallow the closing parenthesis
    const body = (await sqlFile(`${name}.sql`)).replace(/^--.*$/gm, '').trim();
    sql = sql.replace(`{{${name}}}`, body);
  }
  const rows = await data.query(sql);
  expect(rows.map((r) => r.rule)).toHaveLength(8);
  expect(rows.filter((r) => r.n !== 0)).toEqual([]);
});
