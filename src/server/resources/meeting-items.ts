import type { DuckDBConnection } from '@duckdb/node-api';
import { all, one } from '../../db/sql.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { fromJson } from './common.ts';

// Joint meetings (联席会议) and their actions (会议议定事项). A 市级 meeting is the city's; a 区级 meeting belongs to its
// district. Reading: city all; a district user the 市级 meetings and the 区级 meetings of their districts.

export interface MeetingRow extends Record<string, unknown> {
  meeting_id: string;
  level: '市级' | '区级';
  district_code: string | null;
  held_on: string;
  period: string | null;
  pack: Record<string, unknown> | null;
}

const COLUMNS = `m.meeting_id, m.level, m.district_code, d.name AS district_name, m.held_on, m.kind, m.topics,
  m.has_minutes, m.period, m.created_by, m.pack`;

const shape = (r: Record<string, unknown>) =>
  ({ ...r, topics: fromJson(r.topics), pack: fromJson(r.pack) }) as unknown as MeetingRow;

export function canSeeMeeting(user: SessionUser, m: Pick<MeetingRow, 'level' | 'district_code'>): boolean {
  if (user.role === 'city') return true;
  if (user.role !== 'district') return false;
  return m.level === '市级' || (m.district_code !== null && user.districts.includes(m.district_code));
}

/** Who keeps a meeting: the city its 市级 meetings, a district user the 区级 meetings of their districts. */
export function canWriteMeeting(user: SessionUser, m: Pick<MeetingRow, 'level' | 'district_code'>): boolean {
  if (m.level === '市级') return user.role === 'city';
  return user.role === 'district' && m.district_code !== null && user.districts.includes(m.district_code);
}

/**
 * A frozen pack is visible to the level and districts it was made for: a 市级 pack (city-wide figures) to city
 * users, a 区级 pack to users whose districts include its district.
 */
export function canSeePack(user: SessionUser, m: Pick<MeetingRow, 'level' | 'district_code'>): boolean {
  if (m.level === '市级') return user.role === 'city';
  return (user.role === 'city' || user.role === 'district') && user.districts.includes(m.district_code ?? '');
}

export async function findMeeting(conn: DuckDBConnection, id: string): Promise<MeetingRow | undefined> {
  const r = await one(
    conn,
    `SELECT ${COLUMNS} FROM meetings m LEFT JOIN districts d ON d.code = m.district_code WHERE m.meeting_id = $id`,
    { id },
  );
  return r && shape(r);
}

/** The meetings a user sees, newest first, with their action counts. */
export async function listMeetings(
  conn: DuckDBConnection,
  user: SessionUser,
): Promise<Record<string, unknown>[]> {
  const rows = await all(
    conn,
    `SELECT ${COLUMNS},
       (SELECT count(*) FROM meeting_actions a WHERE a.meeting_id = m.meeting_id) AS actions,
       (SELECT count(*) FROM meeting_actions a WHERE a.meeting_id = m.meeting_id AND a.closed_on IS NULL) AS open_actions
     FROM meetings m LEFT JOIN districts d ON d.code = m.district_code
     WHERE $city OR m.level = '市级' OR list_contains($districts, m.district_code)
     ORDER BY m.held_on DESC, m.meeting_id`,
    { city: user.role === 'city', districts: [...user.districts] },
  );
  return rows.map(shape).map(summary);
}

/** A meeting without its pack's rows: whether figures were frozen, when and as of which date. */
export function summary(m: MeetingRow): Record<string, unknown> {
  const { pack, ...rest } = m;
  const meta = (pack?.meta ?? null) as { as_of?: string } | null;
  return {
    ...rest,
    pack: pack
      ? { frozen_at: pack.frozen_at ?? null, frozen_by: pack.frozen_by ?? null, as_of: meta?.as_of ?? null }
      : null,
  };
}

const ACTION_COLUMNS = `a.action_id, a.meeting_id, a.text, a.owner, a.due_on, a.closed_on`;

/** Splits the stored owner `公安 朝阳分局` into its agency and unit. */
function withOwner(a: Record<string, unknown>): Record<string, unknown> {
  const owner = (a.owner as string | null) ?? '';
  const m = /^(公安|检察)(?:\s+(.*))?$/s.exec(owner);
  return { ...a, owner_agency: m ? m[1] : null, owner_unit: m ? (m[2] ?? null) : owner || null };
}

export async function meetingActions(conn: DuckDBConnection, id: string): Promise<Record<string, unknown>[]> {
  return (
    await all(
      conn,
      `SELECT ${ACTION_COLUMNS} FROM meeting_actions a WHERE a.meeting_id = $id ORDER BY a.action_id`,
      {
        id,
      },
    )
  ).map(withOwner);
}

/**
 * Actions of earlier meetings of the same series (市级, or 区级 of the same district) still open on this meeting's
 * day: not closed, or closed after it. A meeting so lists what is carried over until it is closed, and a past
 * meeting keeps showing what was open when it was held.
 */
export async function carriedActions(
  conn: DuckDBConnection,
  m: MeetingRow,
): Promise<Record<string, unknown>[]> {
  return (
    await all(
      conn,
      `SELECT ${ACTION_COLUMNS}, p.held_on AS meeting_held_on
       FROM meeting_actions a JOIN meetings p ON p.meeting_id = a.meeting_id
       WHERE p.level = $level AND p.district_code IS NOT DISTINCT FROM $district
         AND (p.held_on < $held_on::DATE OR (p.held_on = $held_on::DATE AND p.meeting_id < $id))
         AND (a.closed_on IS NULL OR a.closed_on > $held_on::DATE)
       ORDER BY p.held_on, a.meeting_id, a.action_id`,
      { level: m.level, district: m.district_code, held_on: m.held_on, id: m.meeting_id },
    )
  ).map(withOwner);
}

export async function findAction(
  conn: DuckDBConnection,
  meetingId: string,
  actionId: string,
): Promise<Record<string, unknown> | undefined> {
  const r = await one(
    conn,
    `SELECT ${ACTION_COLUMNS} FROM meeting_actions a WHERE a.meeting_id = $m AND a.action_id = $a`,
    { m: meetingId, a: actionId },
  );
  return r && withOwner(r);
}
