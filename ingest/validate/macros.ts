import { readFileSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { run } from '../../src/db/sql.ts';

const MACROS = readFileSync(new URL('../sql/macros.sql', import.meta.url), 'utf8');

/** Creates the normalisation macros (TEMP, so they live with the connection and never in the database file). */
export async function createMacros(conn: DuckDBConnection): Promise<void> {
  const body = MACROS.split('\n')
    .filter((l) => !l.trimStart().startsWith('--'))
    .join('\n');
  for (const stmt of body
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter(Boolean))
    await run(conn, stmt);
}

/** Compound surnames kept whole when names are masked (欧阳修 → 欧阳某). */
export const COMPOUND_SURNAMES = [
  '欧阳',
  '司马',
  '诸葛',
  '上官',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '轩辕',
  '令狐',
  '钟离',
  '端木',
  '独孤',
  '南宫',
  '西门',
  '申屠',
  '赫连',
  '澹台',
  '公冶',
  '太史',
  '闻人',
  '百里',
  '呼延',
  '万俟',
  '司空',
  '拓跋',
  '第五',
  '东郭',
  '濮阳',
  '淳于',
  '单于',
  '仲孙',
  '左丘',
  '谷梁',
  '羊舌',
  '微生',
  '梁丘',
  '公西',
  '乐正',
  '壤驷',
  '漆雕',
  '巫马',
  '宗政',
  '公良',
  '颛孙',
  '子车',
  '鲜于',
  '闾丘',
  '亓官',
  '司寇',
  '段干',
  '东门',
  '公羊',
  '完颜',
];

/** Cells that mean "no value" (contract.md); a mapping file may add more. */
export const EMPTY_TOKENS = ['', 'NULL', 'null', 'Null', '-', '无'];
