import { caseTimeline } from '../case-timeline.ts';
import { dataFlowLag } from '../data-flow-lag.ts';
import { fastTrack48h } from '../fast-track-48h.ts';
import { measureOverruns } from '../measure-overruns.ts';
import type { QueryModule } from '../module.ts';
import { pendingClearance } from '../pending-clearance.ts';

export const modules: QueryModule[] = [
  measureOverruns,
  fastTrack48h,
  dataFlowLag,
  pendingClearance,
  caseTimeline,
];
