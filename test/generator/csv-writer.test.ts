import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { at, dayFromIso } from '../../fixtures/generator/calendar.ts';
import { CsvWriter } from '../../fixtures/generator/csv-writer.ts';

it('quotes only the values that need it (RFC 4180) and writes empty cells for null', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'zhenjian-csv-'));
  try {
    const file = join(dir, 't.csv');
    const w = new CsvWriter(file, ['a', 'b', 'c', 'd', 'e', 'f']);
    const day = dayFromIso('2024-02-29');
    w.text('朝阳分局刑侦支队')
      ._.text('甲,乙')
      ._.text('说"明"')
      ._.text(null)
      ._.date(day)
      ._.timestamp(at(day, 7, 5, 9))
      .end();
    w.text('第一行\n第二行')._.bool(true)._.bool(false)._.int(3)._.int(null)._.ascii('P00123').end();
    await w.close();
    expect(await readFile(file, 'utf8')).toBe(
      'a,b,c,d,e,f\n' +
        '朝阳分局刑侦支队,"甲,乙","说""明""",,2024-02-29,2024-02-29 07:05:09\n' +
        '"第一行\n第二行",true,false,3,,P00123\n',
    );
    expect(w.rows).toBe(2);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
