import type { z } from 'zod';
import type { SqlParam } from '../src/db/sql.ts';
import type { ThresholdKey } from './thresholds.ts';

export interface OutputColumn {
  name: string;
  /** shown to users (Chinese) */
  label: string;
  /** DuckDB type name; needed only by composed modules, whose columns do not come from one SQL result */
  type?: string;
}

/** What a composed module gets: its parsed parameters (as_of filled in) and other modules to run in the same scope. */
export interface ComposeContext {
  params: Record<string, unknown>;
  districts: readonly string[];
  run(
    name: string,
    params: Record<string, unknown>,
    districts?: readonly string[],
  ): Promise<Record<string, unknown>[]>;
}

/**
 * One query module: its SQL file beside this one, its parameters (zod, defaults and zh-CN messages), its output
 * columns, the scope column the server binds ($districts), the legal basis shown to users, and the thresholds it
 * reads (bound as $<key with dots as underscores>, and named in the output's meta).
 */
export interface QueryModule {
  name: string;
  title: string;
  /** the SQL file in queries/, without directory */
  sql: string;
  params: z.ZodObject;
  columns: readonly OutputColumn[];
  scopeColumn: 'district_code';
  /** rows name individual cases or persons: exports need a purpose, and admin may not run it (spec/api.md) */
  caseLevel: boolean;
  basis: string;
  thresholds: readonly ThresholdKey[];
  /** values bound besides the parameters, derived from them (e.g. a period's bounds) */
  derive?: (params: Record<string, unknown>) => Record<string, SqlParam>;
  /**
   * A module made of other modules' figures (the joint-meeting pack, the briefing) instead of one SQL file: it never
   * touches tables itself, so every number it shows is the number the module it names would show.
   */
  compose?: (ctx: ComposeContext) => Promise<Record<string, unknown>[]>;
  /** the module reads 挂案 deadlines: the SOURCE placeholder comment in its SQL becomes the mart or zj_pending */
  source?: 'pending';
}

export const sqlParamName = (key: string) => key.replace(/\./g, '_');
