import { describe, expect, it } from 'vitest';
import { decisions } from '../../dashboards/decisions.ts';
import { overview } from '../../dashboards/overview.ts';
import { supervision } from '../../dashboards/supervision.ts';
import { resolveParams } from '../../dashboards/spec.ts';
import { findModule } from '../../queries/registry.ts';
import { parseParams } from '../../queries/run.ts';

const STATE = {
  period: '2025',
  from: '2025-01-01',
  to: '2025-06-30',
  trend_from: '2024-01-01',
  level: '区级',
  district: '110105',
};

describe('dashboard specs', () => {
  it('name modules that exist, with parameters those modules accept, and columns they return', () => {
    for (const panel of [overview, supervision, decisions].flatMap((d) => d.panels)) {
      const m = findModule(panel.module);
      expect(m, panel.id).toBeDefined();
      const params = resolveParams(panel.params, STATE);
      // `district` is a drill filter the API applies to any module (scope narrowing), not a module parameter
      if (!('district' in m!.params.shape)) delete params.district;
      expect(() => parseParams(m!, params), panel.id).not.toThrow();
      const columns = m!.columns.map((c) => c.name);
      for (const c of [panel.category, ...panel.values.map((v) => v.column), ...(panel.columns ?? [])].filter(
        Boolean,
      ))
        expect(columns, `${panel.id}: ${c}`).toContain(c);
    }
  });
});
