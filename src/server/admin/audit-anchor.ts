import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * A chain head written down somewhere the server cannot reach (paper, another machine, write-once media): whoever
 * rewrites the trail and recomputes every hash after it still cannot make record `seq` carry the anchored hash
 * (ASVS 16.4.3; design.md: optional, `audit verify --export-head`).
 */
export interface AuditAnchor {
  seq: number;
  hash: string;
}

export const formatAnchor = (a: AuditAnchor) => `${a.seq}:${a.hash}`;

export function parseAnchor(text: string): AuditAnchor | undefined {
  const m = /^(\d{1,12}):([0-9a-f]{64})$/.exec(text.trim());
  return m ? { seq: Number(m[1]), hash: m[2]! } : undefined;
}

/** The hash the trail holds for record `seq` now, or undefined when it has no such record. */
export async function hashAtSeq(path: string, seq: number): Promise<string | undefined> {
  if (!existsSync(path)) return undefined;
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  try {
    for await (const text of lines) {
      if (!text) continue;
      const r = JSON.parse(text) as { seq?: number; hash?: string };
      if (r.seq === seq) return r.hash;
    }
  } finally {
    lines.close();
  }
  return undefined;
}
