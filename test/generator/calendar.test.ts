import { describe, expect, it } from 'vitest';
import { addMonths, dayFromIso, formatTimestamp, isoFromDay, at } from '../../fixtures/generator/calendar.ts';
import { Rng } from '../../fixtures/generator/prng.ts';

const plus = (iso: string, months: number): string => isoFromDay(addMonths(dayFromIso(iso), months));

describe('month arithmetic per rules.md §1 (SPC 2021 第202条)', () => {
  it('keeps the day of month, or takes the last day when it does not exist', () => {
    expect(plus('2024-01-15', 1)).toBe('2024-02-15');
    expect(plus('2024-01-31', 1)).toBe('2024-02-29');
    expect(plus('2023-01-30', 1)).toBe('2023-02-28');
    expect(plus('2024-03-30', 2)).toBe('2024-05-30');
    expect(plus('2024-12-20', 12)).toBe('2025-12-20');
  });

  it('goes from a last day to the last day of the target month', () => {
    expect(plus('2024-02-29', 2)).toBe('2024-04-30');
    expect(plus('2024-04-30', 1)).toBe('2024-05-31');
    expect(plus('2023-02-28', 12)).toBe('2024-02-29');
    expect(plus('2025-11-30', -1)).toBe('2025-10-31');
  });

  it('rejects dates that do not exist', () => {
    expect(() => dayFromIso('2025-02-29')).toThrow();
    expect(() => dayFromIso('2025/01/01')).toThrow();
  });

  it('formats local timestamps', () => {
    expect(formatTimestamp(at(dayFromIso('2025-12-31'), 23, 59, 59))).toBe('2025-12-31 23:59:59');
    expect(isoFromDay(dayFromIso('1970-01-01'))).toBe('1970-01-01');
    expect(isoFromDay(dayFromIso('1958-03-01'))).toBe('1958-03-01');
  });
});

describe('seeded generator', () => {
  it('repeats for a seed and differs between seeds', () => {
    const draw = (seed: number): number[] => {
      const rng = new Rng(seed);
      return Array.from({ length: 5 }, () => rng.uint32());
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
  });

  it('draws integers within bounds, roughly uniformly', () => {
    const rng = new Rng(9);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) (counts[rng.int(0, 3)] as number)++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });
});
