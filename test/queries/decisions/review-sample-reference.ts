import { createHash } from 'node:crypto';

// An independent implementation of the draw exactly as docs/modules/decisions.md describes it (iterative rounds, not
// the SQL's one-pass prefix), used to check the module on many sizes and seeds.

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The number of decisions each stratum gives for a sample of n. */
export function allocate(sizes: ReadonlyMap<string, number>, n: number, seed: number): Map<string, number> {
  const codes = [...sizes.keys()].sort();
  const size = (h: string) => sizes.get(h)!;
  const total = codes.reduce((s, h) => s + size(h), 0);
  if (n >= total) return new Map(codes.map((h) => [h, size(h)]));
  if (n < codes.length) {
    const key = (h: string) => {
      const u = (parseInt(sha256(`${seed}:stratum:${h}`).slice(0, 13), 16) + 0.5) / 2 ** 52;
      return Math.log(u) / size(h);
    };
    const chosen = [...codes].sort((a, b) => key(b) - key(a) || a.localeCompare(b)).slice(0, n);
    return new Map(codes.map((h) => [h, chosen.includes(h) ? 1 : 0]));
  }
  const take = new Map(codes.map((h) => [h, 1]));
  let rest = n - codes.length;
  let open = [...codes];
  for (;;) {
    const weight = open.reduce((s, h) => s + size(h), 0);
    // a stratum whose quota reaches its room takes everything; the others share the rest anew
    const full = open.filter((h) => rest * size(h) >= (size(h) - 1) * weight);
    if (full.length > 0) {
      for (const h of full) {
        rest -= size(h) - 1;
        take.set(h, size(h));
      }
      open = open.filter((h) => !full.includes(h));
      continue;
    }
    const floor = (h: string) => Math.floor((rest * size(h)) / weight);
    const remainder = (h: string) => (rest * size(h)) % weight;
    let left = rest - open.reduce((s, h) => s + floor(h), 0);
    for (const h of open) take.set(h, 1 + floor(h));
    for (const h of [...open].sort((a, b) => remainder(b) - remainder(a) || a.localeCompare(b))) {
      if (left-- <= 0) break;
      take.set(h, take.get(h)! + 1);
    }
    return take;
  }
}

/** The drawn decision ids, by stratum and then by sha256(seed:decision_id). */
export function draw(
  population: readonly { id: string; stratum: string }[],
  n: number,
  seed: number,
): string[] {
  const sizes = new Map<string, number>();
  for (const p of population) sizes.set(p.stratum, (sizes.get(p.stratum) ?? 0) + 1);
  const take = allocate(sizes, n, seed);
  return [...sizes.keys()].sort().flatMap((h) =>
    population
      .filter((p) => p.stratum === h)
      .map((p) => ({ id: p.id, key: sha256(`${seed}:${p.id}`) }))
      .sort((a, b) => (a.key < b.key ? -1 : 1))
      .slice(0, take.get(h))
      .map((p) => p.id),
  );
}
