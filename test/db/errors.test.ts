import { describe, expect, it } from 'vitest';
import { UserError, explainDatabaseError } from '../../src/db/errors.ts';

// DuckDB's own wording (1.5.6), as a 5M-case load at the default 512 MB printed it
const OOM =
  'Out of Memory Error: failed to allocate data of size 32.0 KiB (488.2 MiB/488.2 MiB used)\n\nPossible solutions:';

describe('database errors the user can act on', () => {
  it('out of memory: exit 3, Chinese first, says what was kept and to raise --memory-limit', () => {
    const e = explainDatabaseError(new Error(OOM), '/data/z.duckdb');
    expect(e).toBeInstanceOf(UserError);
    expect(e!.exitCode).toBe(3);
    expect(e!.zh).toMatch(/^内存不足/);
    expect(e!.zh).toContain('已整体回滚');
    expect(e!.zh).toContain('--memory-limit 2GB');
  });

  it('leaves errors it cannot explain alone', () => {
    expect(
      explainDatabaseError(new Error('Binder Error: column x not found'), '/data/z.duckdb'),
    ).toBeUndefined();
  });
});
