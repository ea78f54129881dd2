// The window helper moved to period-window.ts (it serves every windowed module, not decision-rates alone); this
// re-export keeps modules written against the old name working until they import the new one.
export { fromParam, periodWindow as decisionWindow, toParam } from './period-window.ts';
