import { ensureThresholds } from '../../queries/thresholds.ts';
import { rebuildCalendarDays } from './calendar.ts';
import { ensureCaseIndexes, type IndexResult } from './case-indexes.ts';
import { migrate, schemaVersion } from './migrate.ts';
import type { Database } from './open.ts';
import { loadReferenceData } from './reference.ts';
import { ensureSecret } from './secret.ts';
import { all } from './sql.ts';

export interface InitResult {
  database: string;
  schema_version: number;
  migrations_applied: number[];
  /** the case indexes built now (all seven on a new database; none when they exist) */
  case_indexes: IndexResult;
  secret_created: boolean;
  reference: {
    districts: number;
    charges: number;
    historical_charges: number;
    holidays: number;
    calendar_years: number[];
  };
}

/** Creates or migrates the database and (re)loads reference data; safe to run again. */
export async function initDatabase(db: Database): Promise<InitResult> {
  const applied = await migrate(db.conn);
  await loadReferenceData(db.conn);
  await rebuildCalendarDays(db.conn);
  await ensureThresholds(db.conn);
  const indexes = await ensureCaseIndexes(db.conn);
  const { created } = ensureSecret(db.path);
  const [counts] = await all<{ d: number; c: number; h: number; hol: number }>(
    db.conn,
    `SELECT (SELECT count(*) FROM districts) AS d, (SELECT count(*) FROM charges) AS c,
            (SELECT count(*) FROM charge_history) AS h, (SELECT count(*) FROM holidays) AS hol`,
  );
  const years = await all<{ year: number }>(db.conn, 'SELECT year FROM calendar_years ORDER BY year');
  return {
    database: db.path,
    schema_version: await schemaVersion(db.conn),
    migrations_applied: applied,
    case_indexes: indexes,
    secret_created: created,
    reference: {
      districts: counts!.d,
      charges: counts!.c,
      historical_charges: counts!.h,
      holidays: counts!.hol,
      calendar_years: years.map((y) => y.year),
    },
  };
}
