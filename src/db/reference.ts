import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';
import { all, run, transaction } from './sql.ts';

const REF = (file: string) => fileURLToPath(new URL(`../../fixtures/reference/${file}`, import.meta.url));
export const HOLIDAY_SOURCE = 'chinese-days 1.5.7 (国务院办公厅节假日安排通知)';

/**
 * Resolves each historical charge name to the current names it became, following renames through later
 * instruments (e.g. 操纵证券交易价格罪 → 操纵证券、期货交易价格罪 → 操纵证券、期货市场罪).
 */
export function resolveSuccessors(
  current: Set<string>,
  history: Map<string, string[]>,
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const visit = (name: string, seen: Set<string>): Set<string> => {
    if (current.has(name)) return new Set([name]);
    if (seen.has(name)) return new Set();
    seen.add(name);
    const result = new Set<string>();
    for (const next of history.get(name) ?? []) for (const n of visit(next, seen)) result.add(n);
    return result;
  };
  for (const name of history.keys()) out.set(name, visit(name, new Set()));
  return out;
}

/** (Re)loads districts, charges and their lookups; adds holiday years not loaded yet. One transaction. */
export async function loadReferenceData(conn: DuckDBConnection): Promise<void> {
  await transaction(conn, async () => {
    await run(conn, 'DELETE FROM districts');
    await run(
      conn,
      `INSERT INTO districts SELECT code::VARCHAR, name, regexp_replace(name, '区$', '')
       FROM read_csv($p, all_varchar=true) WHERE code::VARCHAR NOT IN ('110103', '110104')`,
      { p: REF('districts_beijing.csv') },
    );
    await run(conn, 'DELETE FROM district_lookup');
    await run(
      conn,
      `INSERT INTO district_lookup
       SELECT DISTINCT input, code FROM (
         SELECT code AS input, code FROM districts UNION ALL
         SELECT name, code FROM districts UNION ALL
         SELECT short_name, code FROM districts UNION ALL
         SELECT '北京市' || name, code FROM districts)`,
    );

    await run(conn, 'DELETE FROM charges');
    await run(
      conn,
      `INSERT INTO charges SELECT name, primary_article, provisions, chapter_no::INTEGER, chapter,
         nullif(section_no, '')::INTEGER, nullif(section, ''), introduced_by, effective_from::DATE
       FROM read_csv($p, all_varchar=true)`,
      { p: REF('charges_current.csv') },
    );
    const current = new Set(
      (await all<{ name: string }>(conn, 'SELECT name FROM charges')).map((r) => r.name),
    );
    const historyRows = await all<{ name: string; replaced_by: string | null; cancelled_from: string }>(
      conn,
      'SELECT name, replaced_by, cancelled_from FROM read_csv($p, all_varchar=true)',
      { p: REF('charges_history_cancelled.csv') },
    );
    const history = new Map(
      historyRows.map((r) => [r.name, (r.replaced_by ?? '').split(/[;；]/).filter(Boolean)]),
    );
    const successors = resolveSuccessors(current, history);
    await run(conn, 'DELETE FROM charge_history');
    await run(conn, 'DELETE FROM charge_lookup');
    const lookup = new Map<string, { name: string; historical: boolean }>();
    for (const name of current) lookup.set(name, { name, historical: false });
    for (const r of historyRows) {
      const s = [...(successors.get(r.name) ?? [])];
      const successor = s.length === 1 ? s[0]! : null;
      await run(conn, 'INSERT INTO charge_history VALUES ($n, $r, $c::DATE, $s)', {
        n: r.name,
        r: r.replaced_by,
        c: r.cancelled_from,
        s: successor,
      });
      if (!lookup.has(r.name))
        lookup.set(
          r.name,
          successor ? { name: successor, historical: false } : { name: r.name, historical: true },
        );
    }
    // "a missing 罪 suffix is added when that gives a known name" (contract.md)
    for (const [input, target] of [...lookup]) {
      const bare = input.replace(/罪$/, '');
      if (bare !== input && !lookup.has(bare)) lookup.set(bare, target);
    }
    const inputs = [...lookup.keys()];
    await run(
      conn,
      `INSERT INTO charge_lookup SELECT i, n, h FROM (SELECT unnest($i) AS i, unnest($n) AS n, unnest($h)::BOOLEAN AS h)`,
      {
        i: inputs,
        n: inputs.map((k) => lookup.get(k)!.name),
        h: inputs.map((k) => String(lookup.get(k)!.historical)),
      },
    );

    await run(
      conn,
      `INSERT INTO holidays
       SELECT f.date::DATE, f.kind, f.name, $s FROM read_csv($p, all_varchar=true) f
       WHERE year(f.date::DATE) NOT IN (SELECT year FROM calendar_years)`,
      { p: REF('holidays.csv'), s: HOLIDAY_SOURCE },
    );
    await run(
      conn,
      `INSERT INTO calendar_years
       SELECT DISTINCT year(date::DATE), $s FROM read_csv($p, all_varchar=true)
       WHERE year(date::DATE) NOT IN (SELECT year FROM calendar_years)`,
      { p: REF('holidays.csv'), s: HOLIDAY_SOURCE },
    );
  });
}
