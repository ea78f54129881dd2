import type { SqlParam } from '../../src/db/sql.ts';

/** Collects bound parameters while SQL text is generated: every value becomes `$pN`, never literal text. */
export class Params {
  readonly values: Record<string, SqlParam> = {};
  #n = 0;

  add(value: SqlParam): string {
    const name = `p${++this.#n}`;
    this.values[name] = value;
    return `$${name}`;
  }
}
