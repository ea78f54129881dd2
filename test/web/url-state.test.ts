import { describe, expect, it } from 'vitest';
import { resolveParams } from '../../dashboards/spec.ts';
import { readPageState, templateValues, withParams } from '../../src/lib/url-state.ts';

const CITY = ['110101', '110105', '110108'];

describe('URL state', () => {
  it('reads period and district, defaulting the period to the data-as-of year', () => {
    const s = readPageState(new URLSearchParams('district=110105&period=2025Q1'), CITY, '2025-12-31');
    expect([s.periodText, s.period.from, s.period.to, s.district, s.problems]).toEqual([
      '2025Q1',
      '2025-01-01',
      '2025-03-31',
      '110105',
      [],
    ]);
    expect(readPageState(new URLSearchParams(''), CITY, '2024-06-30').periodText).toBe('2024');
  });

  it('turns bad values into a message and the default; a district outside the scope is named, not shown', () => {
    const bad = readPageState(new URLSearchParams('period=2025Q5&district=abc'), CITY, '2025-12-31');
    expect(bad.periodText).toBe('2025');
    expect(bad.district).toBeUndefined();
    expect(bad.problems).toHaveLength(2);
    const outside = readPageState(new URLSearchParams('district=110105'), ['110108'], '2025-12-31');
    // a one-district user is shown their own district instead
    expect(outside.district).toBe('110108');
    expect(outside.problems[0]).toContain('不在您的查看范围内');
  });

  it('ends a running period at the data-as-of date and fills panel templates, dropping empty ones', () => {
    const s = readPageState(new URLSearchParams('period=2025'), CITY, '2025-06-30');
    const v = templateValues(s, '2025-06-30');
    expect([v.from, v.to, v.trend_from, v.level]).toEqual(['2025-01-01', '2025-06-30', '2024-01-01', '市级']);
    expect(
      resolveParams({ period: '{period}', level: '{level}', district: '{district}', group_by: 'month' }, v),
    ).toEqual({
      period: '2025',
      level: '市级',
      group_by: 'month',
    });
  });

  it('changes URL parameters, keeping the others', () => {
    const url = new URL('http://x/?district=110105&period=2025');
    expect(withParams(url, { police_unit: '三里屯派出所' }, '/pending')).toBe(
      '/pending?district=110105&period=2025&police_unit=%E4%B8%89%E9%87%8C%E5%B1%AF%E6%B4%BE%E5%87%BA%E6%89%80',
    );
    expect(withParams(url, { district: undefined, period: undefined })).toBe('/');
  });
});
