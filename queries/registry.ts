import { modules as decisions } from './groups/decisions.ts';
import { modules as measures } from './groups/measures.ts';
import { modules as supervision } from './groups/supervision.ts';
import type { QueryModule } from './module.ts';
import { briefing } from './briefing.ts';
import { caseFilings } from './case-filings.ts';
import { decisionReasons } from './decision-reasons.ts';
import { jointMeetingPack } from './joint-meeting-pack.ts';
import { measureUse } from './measure-use.ts';
import { pendingCases } from './pending-cases.ts';

/** Every query module; names are part of the interface (issue 3, spec/cli.md, spec/api.md). */
export const MODULES: readonly QueryModule[] = [
  pendingCases,
  ...supervision,
  ...decisions,
  ...measures,
  caseFilings,
  decisionReasons,
  measureUse,
  jointMeetingPack,
  briefing,
];

export function findModule(name: string): QueryModule | undefined {
  return MODULES.find((m) => m.name === name);
}
