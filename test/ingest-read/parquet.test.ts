import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linesOf, Scratch } from './helpers.ts';

const s = new Scratch();
beforeAll(() => s.open());
afterAll(() => s.close());

describe('Parquet', () => {
  it('casts every column to text: DATE and TIMESTAMP in contract form, nested as JSON, empty as NULL', async () => {
    const path = `${s.dir}/cases.parquet`;
    await s.conn.run(
      `COPY (
         SELECT * FROM (VALUES
           ('A1', DATE '2024-03-05', TIMESTAMP '2024-03-05 13:45:07.250', 2, 1.50::DECIMAL(10, 2), true, [1, 2], ''),
           ('A2', NULL, TIMESTAMP '2024-03-06 00:00:00', NULL, NULL, false, NULL, ' x ')
         ) AS t("案件编号", "立案日期", " 更新时间 ", "退查次数", "金额", "涉企", "列表", "备注")
       ) TO '${path}' (FORMAT parquet)`,
    );
    const { file, staged, rows } = await s.stage(path);
    expect(file.format).toBe('parquet');
    expect(file.encoding).toBeNull();
    expect(file.header).toEqual([
      '案件编号',
      '立案日期',
      '更新时间',
      '退查次数',
      '金额',
      '涉企',
      '列表',
      '备注',
    ]);
    expect(rows).toEqual([
      ['A1', '2024-03-05', '2024-03-05 13:45:07', '2', '1.50', 'true', '[1,2]', null],
      ['A2', null, '2024-03-06 00:00:00', null, null, 'false', null, ' x '],
    ]);
    expect(linesOf(staged)).toEqual([1, 2]);
    expect(staged.malformed).toEqual([]);
  });

  it('writes TIMESTAMPTZ as Beijing local time', async () => {
    const path = `${s.dir}/tz.parquet`;
    await s.conn.run(
      `COPY (SELECT 'A1' AS id, TIMESTAMPTZ '2024-03-05 01:00:00+00' AS recorded_at) TO '${path}' (FORMAT parquet)`,
    );
    expect((await s.stage(path)).rows).toEqual([['A1', '2024-03-05 09:00:00']]);
  });

  it('refuses a Parquet file without rows and a broken one', async () => {
    const empty = `${s.dir}/empty.parquet`;
    await s.conn.run(`COPY (SELECT 'x' AS a WHERE false) TO '${empty}' (FORMAT parquet)`);
    await expect(s.stage(empty)).rejects.toThrow('只有表头，没有数据行');
    const broken = await s.write('broken.parquet', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(64)]));
    await expect(s.stage(broken)).rejects.toThrow('不是有效的 Parquet 文件');
  });
});
