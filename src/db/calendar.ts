import type { DuckDBConnection } from '@duckdb/node-api';
import { run } from './sql.ts';

/**
 * Rebuilds `calendar_days` from `holidays` and `calendar_years`: a day is a working day when it is a 调休 班 day,
 * or a weekday that is not a 休 day; outside the covered years only weekends rest. next_working is computed
 * backwards from the end of the range.
 */
export async function rebuildCalendarDays(conn: DuckDBConnection): Promise<void> {
  await run(conn, 'DELETE FROM calendar_days');
  await run(
    conn,
    `INSERT INTO calendar_days
     WITH days AS (
       SELECT d::DATE AS day FROM range(DATE '2015-01-01', DATE '2036-02-01', INTERVAL 1 DAY) t(d)
     ), flagged AS (
       SELECT days.day,
         CASE WHEN h.kind = '班' THEN true WHEN h.kind = '休' THEN false ELSE isodow(days.day) <= 5 END AS working,
         year(days.day) IN (SELECT year FROM calendar_years) AS covered
       FROM days LEFT JOIN holidays h ON h.day = days.day
     )
     SELECT * FROM (
       SELECT day, working, covered,
         min(CASE WHEN working THEN day END) OVER (ORDER BY day ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS next_working
       FROM flagged)
     -- computed a month past the end so that the last days have a next working day
     WHERE day < DATE '2036-01-01'`,
  );
}
