import { z } from 'zod';

/**
 * A dashboard page's panels as data: which module, which parameters, how it is drawn, where a click leads. Pages
 * render from these, so a number on screen is traced in one hop: page → this spec → queries/<module>.sql.
 */
export const panelSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  title: z.string().min(1),
  module: z.string().min(1),
  /**
   * Parameters; `{name}` is replaced by the page state's value (period, from, to, level, district, police_unit), and
   * a parameter whose value comes out empty is left out, so the module's default applies.
   */
  params: z.record(z.string(), z.string()).default({}),
  /** at which drill level the panel is shown: the whole city (all districts in scope) or one district */
  show: z.enum(['always', 'city', 'district']).default('always'),
  chart: z.enum(['kpi', 'bar', 'line', 'table']),
  /** the column giving the x-axis categories (bar/line) */
  category: z.string().optional(),
  values: z.array(z.strictObject({ column: z.string(), name: z.string() })).default([]),
  percent: z.boolean().default(false),
  unit: z.string().default('件'),
  /** table panels: the columns shown, in order (default: all but the legal-basis text) */
  columns: z.array(z.string()).optional(),
  /** table rows that name a case open its detail page (which asks for the purpose) */
  rowLink: z.enum(['case']).optional(),
  /** clicking a category opens this page with the category as this URL parameter (other filters kept) */
  drill: z.strictObject({ page: z.string().startsWith('/'), param: z.string() }).optional(),
});

/** A panel's parameters for a page state: `{name}` placeholders filled, empty ones dropped. */
export function resolveParams(
  params: Record<string, string>,
  state: Record<string, string | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, template] of Object.entries(params)) {
    const value = template.replace(/\{([a-z_]+)\}/g, (_m, name: string) => state[name] ?? '');
    if (value !== '') out[k] = value;
  }
  return out;
}
export type Panel = z.output<typeof panelSchema>;

export const dashboardSchema = z.strictObject({
  page: z.string().startsWith('/'),
  title: z.string(),
  panels: z.array(panelSchema).min(1),
});
export type Dashboard = z.output<typeof dashboardSchema>;

export function defineDashboard(d: z.input<typeof dashboardSchema>): Dashboard {
  return dashboardSchema.parse(d);
}
