import { decisionRates } from '../decision-rates.ts';
import { earlyInvolvement } from '../early-involvement.ts';
import { fileReceipt } from '../file-receipt.ts';
import { inspectionResults } from '../inspection-results.ts';
import { minorsOneStop } from '../minors-one-stop.ts';
import type { QueryModule } from '../module.ts';
import { reviewResults } from '../review-results.ts';
import { reviewSample } from '../review-sample.ts';

export const modules: QueryModule[] = [
  decisionRates,
  reviewSample,
  reviewResults,
  inspectionResults,
  fileReceipt,
  earlyInvolvement,
  minorsOneStop,
];
