/**
 * Offline training sessions (培训班) and their attendance, recorded one by one by staff and
 * organisation managers in scope. Each attendance is a training_records row (source offline)
 * with the unique key `session:<session>:<person>`, so a mediator is recorded once per session.
 */
import type { Insertable } from 'kysely'
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import type { Executor } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import { scopeCondition } from '#app/lib/list-scope.server.ts'
import { nowIso } from '#app/lib/time.ts'
import type { ListScope } from '#app/modules/auth/policy.ts'
import type { OrganiserLevel, TrainingFormat, TrainingKind, TrainingRecordTable } from '#db/schema.ts'
import { fromTenths, toTenths } from './rules.ts'
import type { SessionEditInput, SessionInput } from './session-schemas.ts'

export interface SessionRow {
  id: string
  title: string
  kind: TrainingKind
  format: TrainingFormat
  organiser: string
  organiserLevel: OrganiserLevel
  regionCode: string
  regionName: string
  orgId: string | null
  startDate: string
  endDate: string
  hours: number
  trainer: string | null
  location: string | null
  attendees: number
  version: number
}

/** A session with its region and attendee count: the one select behind the list and the detail page. */
function sessionQuery(db: Executor) {
  return db
    .selectFrom('training_sessions as s')
    .innerJoin('regions as r', 'r.code', 's.region_code')
    .select((eb) => [
      's.id',
      's.title',
      's.kind',
      's.format',
      's.organiser',
      's.organiser_level',
      's.region_code',
      'r.name as region_name',
      'r.path as region_path',
      's.org_id',
      's.start_date',
      's.end_date',
      's.hours_tenths',
      's.trainer',
      's.location',
      's.version',
      eb.selectFrom('training_records as a').select(eb.fn.countAll<number>().as('n')).whereRef('a.session_id', '=', 's.id').as('attendees'),
    ])
}

export async function listSessions(db: Executor, scope: ListScope, limit = 100): Promise<SessionRow[]> {
  const rows = await sessionQuery(db)
    .where(scopeCondition(scope, { region: 's.region_code', org: 's.org_id' }))
    .orderBy('s.start_date', 'desc')
    .orderBy('s.id', 'desc')
    .limit(limit)
    .execute()
  return rows.map(toSession)
}

function toSession(r: {
  id: string
  title: string
  kind: TrainingKind
  format: TrainingFormat
  organiser: string
  organiser_level: OrganiserLevel
  region_code: string
  region_name: string
  org_id: string | null
  start_date: string
  end_date: string
  hours_tenths: number
  trainer: string | null
  location: string | null
  attendees: number | string | bigint | null
  version: number
}): SessionRow {
  return {
    id: r.id,
    title: r.title,
    kind: r.kind,
    format: r.format,
    organiser: r.organiser,
    organiserLevel: r.organiser_level,
    regionCode: r.region_code,
    regionName: r.region_name,
    orgId: r.org_id,
    startDate: r.start_date,
    endDate: r.end_date,
    hours: fromTenths(r.hours_tenths),
    trainer: r.trainer,
    location: r.location,
    attendees: Number(r.attendees ?? 0),
    version: r.version,
  }
}

export async function getSession(
  db: Executor,
  id: string,
): Promise<(SessionRow & { scope: { regionPath: string; orgId: string | null } }) | null> {
  const row = await sessionQuery(db).where('s.id', '=', id).executeTakeFirst()
  return row ? { ...toSession(row), scope: { regionPath: row.region_path, orgId: row.org_id } } : null
}

export async function createSession(db: Executor, input: SessionInput, orgId: string | null, userId: string): Promise<string> {
  const id = newId()
  const now = nowIso()
  await db
    .insertInto('training_sessions')
    .values({
      id,
      title: input.title,
      kind: input.kind,
      format: input.format,
      organiser: input.organiser,
      organiser_level: input.organiserLevel,
      region_code: input.regionCode,
      org_id: orgId,
      start_date: input.startDate,
      end_date: input.endDate,
      hours_tenths: toTenths(input.hours),
      trainer: input.trainer || null,
      location: input.location || null,
      version: 1,
      created_by: userId,
      created_at: now,
      updated_at: now,
    })
    .execute()
  return id
}

export interface Attendee {
  recordId: string
  personId: string
  name: string
  orgName: string | null
  assessment: string | null
}

export async function listAttendees(db: Executor, sessionId: string): Promise<Attendee[]> {
  const rows = await db
    .selectFrom('training_records as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .leftJoin('organisations as o', 'o.id', 'p.org_id')
    .select(['a.id', 'a.person_id', 'p.name', 'o.name as org_name', 'a.assessment'])
    .where('a.session_id', '=', sessionId)
    .orderBy('a.created_at')
    .execute()
  return rows.map((r) => ({ recordId: r.id, personId: r.person_id, name: r.name, orgName: r.org_name, assessment: r.assessment }))
}

/** The mediator holding a work-card number, with what scope checks need. */
export async function mediatorByCard(db: Executor, cardNumber: string) {
  return db
    .selectFrom('mediators as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .innerJoin('regions as r', 'r.code', 'p.region_code')
    .select(['m.person_id', 'm.org_id', 'p.name', 'r.path as region_path'])
    .where('m.card_number', '=', cardNumber.trim())
    .executeTakeFirst()
}

/** The training record of one mediator's attendance at a session (one per session and person). */
export function attendanceRecordRow(
  session: SessionRow,
  personId: string,
  assessment: string | null,
  userId: string,
): Insertable<TrainingRecordTable> {
  return {
    id: newId(),
    person_id: personId,
    source: 'offline',
    completion_key: `session:${session.id}:${personId}`,
    course_slug: null,
    session_id: session.id,
    title: session.title,
    kind: session.kind,
    format: session.format,
    organiser: session.organiser,
    hours_tenths: toTenths(session.hours),
    year: Number(session.endDate.slice(0, 4)),
    completed_on: session.endDate,
    assessment,
    status: 'approved',
    created_at: nowIso(),
    created_by: userId,
  }
}

/** Records one attendance; false when the mediator is already recorded for this session. */
export async function recordAttendance(
  db: Executor,
  session: SessionRow,
  personId: string,
  assessment: string | null,
  userId: string,
): Promise<boolean> {
  try {
    await db
      .insertInto('training_records')
      .values(attendanceRecordRow(session, personId, assessment, userId))
      .execute()
    return true
  } catch (error) {
    if (isUniqueViolation(error, ['training_records.completion_key', 'uq_training_records_completion'])) return false
    throw error
  }
}

/**
 * Saves corrections to a session if nobody saved since `input.version` was read ('stale'
 * otherwise, nothing written). Attendance records copy the session's title, kind, format,
 * organiser, hours and end date, so they follow in the same transaction: correcting a session's
 * hours corrects what its attendees were credited.
 */
export async function updateSession(db: Executor, id: string, input: SessionEditInput): Promise<'saved' | 'stale'> {
  const hoursTenths = toTenths(input.hours)
  const updated = await db
    .updateTable('training_sessions')
    .set({
      title: input.title,
      kind: input.kind,
      format: input.format,
      organiser: input.organiser,
      organiser_level: input.organiserLevel,
      start_date: input.startDate,
      end_date: input.endDate,
      hours_tenths: hoursTenths,
      trainer: input.trainer || null,
      location: input.location || null,
      version: input.version + 1,
      updated_at: nowIso(),
    })
    .where('id', '=', id)
    .where('version', '=', input.version)
    .executeTakeFirst()
  if (Number(updated.numUpdatedRows) !== 1) return 'stale'
  await db
    .updateTable('training_records')
    .set({
      title: input.title,
      kind: input.kind,
      format: input.format,
      organiser: input.organiser,
      hours_tenths: hoursTenths,
      year: Number(input.endDate.slice(0, 4)),
      completed_on: input.endDate,
    })
    .where('session_id', '=', id)
    .where('source', '=', 'offline')
    .execute()
  return 'saved'
}

/**
 * Deletes a session nobody attended (a cancelled or mistaken one). Once attendance is recorded the
 * hours are credited and count in archives and compliance, so deletion is refused: attendees
 * recorded by mistake are removed one by one first (each audited), which keeps every credited
 * hour's removal deliberate.
 */
export async function deleteSession(db: Executor, id: string, version: number): Promise<'deleted' | 'stale' | 'hasAttendance'> {
  const attended = await db.selectFrom('training_records').select('id').where('session_id', '=', id).limit(1).executeTakeFirst()
  if (attended) return 'hasAttendance'
  const deleted = await db.deleteFrom('training_sessions').where('id', '=', id).where('version', '=', version).executeTakeFirst()
  return Number(deleted.numDeletedRows) === 1 ? 'deleted' : 'stale'
}

/** Removes one attendance recorded by mistake; the person's id for the audit, or null when it was not there. */
export async function removeAttendance(db: Executor, sessionId: string, recordId: string): Promise<string | null> {
  const row = await db
    .selectFrom('training_records')
    .select('person_id')
    .where('id', '=', recordId)
    .where('session_id', '=', sessionId)
    .where('source', '=', 'offline')
    .executeTakeFirst()
  if (!row) return null
  const deleted = await db.deleteFrom('training_records').where('id', '=', recordId).where('session_id', '=', sessionId).executeTakeFirst()
  return Number(deleted.numDeletedRows) === 1 ? row.person_id : null
}
