import { randomBytes } from 'node:crypto';

export type Role = 'admin' | 'city' | 'district' | 'auditor';

export interface SessionUser {
  user_id: number;
  username: string;
  role: Role;
  agency: '检察' | '公安' | null;
  /** district codes this user may see; the only source of scope (never request parameters) */
  districts: string[];
}

export interface Session {
  id: string;
  user: SessionUser;
  createdAt: number;
  lastSeenAt: number;
}

export interface SessionLimits {
  idleMs: number;
  absoluteMs: number;
}

/** Idle timeout: 15 minutes by default, never above 30 (CJIS AC-11; ASVS 3.3.2 L3); absolute lifetime 12 hours. */
export const MAX_IDLE_MINUTES = 30;

/**
 * Server-side sessions in memory: the cookie carries only a 256-bit random id. Logging out, disabling a user or a
 * restart ends sessions here, so a copied cookie stops working at once.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly limits: SessionLimits,
    private readonly now: () => number = Date.now,
  ) {}

  create(user: SessionUser): Session {
    const id = randomBytes(32).toString('base64url');
    const t = this.now();
    const session = { id, user, createdAt: t, lastSeenAt: t };
    this.sessions.set(id, session);
    return session;
  }

  /** The live session for an id, touched; or why there is none ('expired' lets the UI say the session timed out). */
  get(id: string | undefined): { session?: Session; expired?: boolean } {
    if (!id) return {};
    const s = this.sessions.get(id);
    if (!s) return {};
    const t = this.now();
    if (t - s.lastSeenAt > this.limits.idleMs || t - s.createdAt > this.limits.absoluteMs) {
      this.sessions.delete(id);
      return { expired: true };
    }
    s.lastSeenAt = t;
    return { session: s };
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  /** Ends every session of a user (disabled, password reset, role or scope changed: changes apply at once). */
  deleteUser(userId: number): number {
    let n = 0;
    for (const [id, s] of this.sessions) {
      if (s.user.user_id === userId) {
        this.sessions.delete(id);
        n++;
      }
    }
    return n;
  }

  get size(): number {
    return this.sessions.size;
  }
}
