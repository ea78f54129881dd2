import { describe, expect, it } from 'vitest';
import { addMonths, comparisonWindows, monthsOf } from '../../../queries/briefing-windows.ts';

describe('briefing windows (the rule of decision-rates, rules.md §5)', () => {
  it('adds months as zj_add_months does (SPC 2021 第202条)', () => {
    expect(addMonths('2024-02-29', 2)).toBe('2024-04-30'); // a month's last day stays a last day
    expect(addMonths('2025-02-28', -12)).toBe('2024-02-29');
    expect(addMonths('2024-03-30', -1)).toBe('2024-02-29'); // no 02-30: clamped
    expect(addMonths('2025-01-15', -13)).toBe('2023-12-15');
  });

  it('compares a calendar year, quarter or month with the previous one', () => {
    expect(comparisonWindows({ from: '2025-01-01', to: '2025-12-31' })).toEqual({
      yoy: { from: '2024-01-01', to: '2024-12-31' },
      pop: { from: '2024-01-01', to: '2024-12-31' },
    });
    expect(comparisonWindows({ from: '2025-04-01', to: '2025-06-30' }).pop).toEqual({
      from: '2025-01-01',
      to: '2025-03-31',
    });
    expect(comparisonWindows({ from: '2024-03-01', to: '2024-03-31' })).toEqual({
      yoy: { from: '2023-03-01', to: '2023-03-31' },
      pop: { from: '2024-02-01', to: '2024-02-29' },
    });
  });

  it('compares any other window with the same days a year earlier and the equal length before it', () => {
    // 2025-01-01 … 02-28 is 59 days: 2024-11-03 … 12-31; its 同比 ends on 2024-02-29 (a last day stays a last day)
    expect(comparisonWindows({ from: '2025-01-01', to: '2025-02-28' })).toEqual({
      yoy: { from: '2024-01-01', to: '2024-02-29' },
      pop: { from: '2024-11-03', to: '2024-12-31' },
    });
    // a quarter that does not start on 1 January, April, July or October is no quarter: 28 + 31 + 30 = 89 days,
    // and 2024-11-04 … 2025-01-31 is 27 + 31 + 31 = 89 days
    expect(comparisonWindows({ from: '2025-02-01', to: '2025-04-30' }).pop).toEqual({
      from: '2024-11-04',
      to: '2025-01-31',
    });
  });

  it('cuts the months of a window to the window', () => {
    expect(monthsOf({ from: '2024-12-15', to: '2025-02-10' })).toEqual([
      { month: '2024-12', from: '2024-12-15', to: '2024-12-31' },
      { month: '2025-01', from: '2025-01-01', to: '2025-01-31' },
      { month: '2025-02', from: '2025-02-01', to: '2025-02-10' },
    ]);
  });
});
