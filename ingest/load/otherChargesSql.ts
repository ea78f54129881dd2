/**
 * `oc`: per row, other_charges split on ; or ； (never on 、, which many names contain), each name resolved like
 * `charge`; `unknown` lists the names that resolve to nothing.
 */
export function otherChargesSql(cleaned: string): string {
  return `SELECT p.__row,
      list(coalesce(cl.name, p.x) ORDER BY p.i) AS names,
      string_agg(CASE WHEN cl.name IS NULL THEN p.x END, '；' ORDER BY p.i) AS unknown
    FROM (
      SELECT __row, unnest(parts) AS x, unnest(range(len(parts))) AS i
      FROM (SELECT __row, list_filter(list_transform(string_split_regex(other_charges, '[;；]'), s -> trim(s)), s -> s <> '') AS parts
            FROM (${cleaned}) c WHERE other_charges IS NOT NULL)
    ) p
    LEFT JOIN charge_lookup cl ON cl.input = p.x
    GROUP BY p.__row`;
}
