import type { QueryModule } from '../module.ts';
import { filingSupervision } from '../filing-supervision.ts';
import { objections } from '../objections.ts';
import { supervisionLedger } from '../supervision-ledger.ts';
import { supervisionLevels } from '../supervision-levels.ts';
import { supervisionOverdue } from '../supervision-overdue.ts';

export const modules: QueryModule[] = [
  supervisionOverdue,
  supervisionLedger,
  supervisionLevels,
  objections,
  filingSupervision,
];
