/**
 * Mediators' grade history (mediator_grades) and dynamic management (动态管理): the current grade,
 * every change, grades nearing expiry, and demotion or revocation with a reason and a notice
 * period of its own. A change takes effect when recorded; its notice makes it public.
 */
import { type AuditActor, audit } from '#app/lib/audit.server.ts'
import type { DB, Executor } from '#app/lib/db.server.ts'
import { containsText } from '#app/lib/like.server.ts'
import { isId, newId } from '#app/lib/ids.ts'
import { nowIso, todayInChina } from '#app/lib/time.ts'
import type { ListScope, RecordScope } from '#app/modules/auth/policy.ts'
import type { MediatorGradeStatus } from '#db/schema.ts'
import { issueGradeCertificate, revokeCertificateOfGrade } from './certificates.server.ts'
import type { GradingConfig } from './config.ts'
import { addDays, noticeEndDate } from './rounds.ts'

export interface CurrentGrade {
  gradeId: string
  associationOrgId: string
  code: string
  name: string
  rank: number
  validFrom: string
  validUntil: string
}

/** The grade a mediator holds today (status current and not past its validity), or null. */
export async function currentGrade(db: Executor, personId: string, today = todayInChina()): Promise<CurrentGrade | null> {
  const row = await db
    .selectFrom('mediator_grades')
    .select(['id', 'association_org_id', 'grade_code', 'grade_name', 'grade_rank', 'valid_from', 'valid_until'])
    .where('person_id', '=', personId)
    .where('status', '=', 'current')
    .where('valid_until', '>=', today)
    .orderBy('grade_rank')
    .orderBy('valid_from', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (!row) return null
  return {
    gradeId: row.id,
    associationOrgId: row.association_org_id,
    code: row.grade_code,
    name: row.grade_name,
    rank: row.grade_rank,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
  }
}

export interface HistoryPerson {
  personId: string
  name: string
  orgName: string | null
  scope: RecordScope & { personId: string }
}

/** A person with where they sit (for grading:view: self, their organisation, their region). */
export async function historyPerson(db: Executor, personId: string): Promise<HistoryPerson | null> {
  if (!isId(personId)) return null
  const row = await db
    .selectFrom('people as p')
    .innerJoin('regions as rg', 'rg.code', 'p.region_code')
    .leftJoin('mediators as m', 'm.person_id', 'p.id')
    .leftJoin('organisations as o', (join) => join.on((eb) => eb('o.id', '=', eb.fn.coalesce('m.org_id', 'p.org_id'))))
    .select(['p.id', 'p.name', 'rg.path', 'm.org_id', 'p.org_id as person_org_id', 'o.name as org_name'])
    .where('p.id', '=', personId)
    .executeTakeFirst()
  if (!row) return null
  return {
    personId: row.id,
    name: row.name,
    orgName: row.org_name,
    scope: { personId: row.id, orgId: row.org_id ?? row.person_org_id, regionPath: row.path },
  }
}

export interface HistoryEntry {
  id: string
  gradeName: string
  associationName: string
  status: MediatorGradeStatus
  source: 'round' | 'demotion' | 'import'
  roundTitle: string | null
  validFrom: string
  validUntil: string
  changeReason: string | null
  noticeStartOn: string | null
  noticeEndOn: string | null
  changedAt: string | null
  certificates: { number: string; status: 'valid' | 'revoked'; revokedReason: string | null }[]
}

/** Every grade the person has held, newest first, with what changed it and its certificates. */
export async function gradeHistory(db: Executor, personId: string): Promise<HistoryEntry[]> {
  const rows = await db
    .selectFrom('mediator_grades as g')
    .innerJoin('organisations as o', 'o.id', 'g.association_org_id')
    .leftJoin('grading_rounds as r', 'r.id', 'g.round_id')
    .select([
      'g.id',
      'g.grade_name',
      'o.name as association_name',
      'g.status',
      'g.source',
      'r.title as round_title',
      'g.valid_from',
      'g.valid_until',
      'g.change_reason',
      'g.notice_start_on',
      'g.notice_end_on',
      'g.changed_at',
      'g.created_at',
    ])
    .where('g.person_id', '=', personId)
    .orderBy('g.created_at', 'desc')
    .orderBy('g.id', 'desc')
    .execute()
  const certificates = rows.length
    ? await db
        .selectFrom('grade_certificates')
        .select(['mediator_grade_id', 'number', 'status', 'revoked_reason'])
        .where(
          'mediator_grade_id',
          'in',
          rows.map((r) => r.id),
        )
        .execute()
    : []
  return rows.map((r) => ({
    id: r.id,
    gradeName: r.grade_name,
    associationName: r.association_name,
    status: r.status,
    source: r.source,
    roundTitle: r.round_title,
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    changeReason: r.change_reason,
    noticeStartOn: r.notice_start_on,
    noticeEndOn: r.notice_end_on,
    changedAt: r.changed_at,
    certificates: certificates
      .filter((c) => c.mediator_grade_id === r.id)
      .map((c) => ({ number: c.number, status: c.status, revokedReason: c.revoked_reason })),
  }))
}

// --- Dynamic management -----------------------------------------------------------------------

export interface ManagedGrade {
  id: string
  personId: string
  name: string
  orgName: string | null
  associationOrgId: string
  gradeCode: string
  gradeName: string
  gradeRank: number
  validFrom: string
  validUntil: string
  version: number
}

function managedQuery(db: Executor) {
  return db
    .selectFrom('mediator_grades as g')
    .innerJoin('people as p', 'p.id', 'g.person_id')
    .leftJoin('mediators as m', 'm.person_id', 'p.id')
    .leftJoin('organisations as o', (join) => join.on((eb) => eb('o.id', '=', eb.fn.coalesce('m.org_id', 'p.org_id'))))
    .select([
      'g.id',
      'g.person_id',
      'p.name',
      'o.name as org_name',
      'g.association_org_id',
      'g.grade_code',
      'g.grade_name',
      'g.grade_rank',
      'g.valid_from',
      'g.valid_until',
      'g.version',
    ])
    .where('g.status', '=', 'current')
}

type ManagedRow = Awaited<ReturnType<ReturnType<typeof managedQuery>['executeTakeFirstOrThrow']>>

const toManaged = (r: ManagedRow): ManagedGrade => ({
  id: r.id,
  personId: r.person_id,
  name: r.name,
  orgName: r.org_name,
  associationOrgId: r.association_org_id,
  gradeCode: r.grade_code,
  gradeName: r.grade_name,
  gradeRank: r.grade_rank,
  validFrom: r.valid_from,
  validUntil: r.valid_until,
  version: r.version,
})

/**
 * Current grades awarded by the associations in scope (grading:manage reaches associations by
 * organisation), soonest expiry first; `expiringBy` keeps those ending on or before that day.
 */
export async function managedGrades(
  db: Executor,
  scope: ListScope,
  options: { expiringBy?: string; query?: string; limit?: number } = {},
): Promise<ManagedGrade[]> {
  if (!scope.everything && !scope.orgIds.length) return []
  let q = managedQuery(db)
  if (!scope.everything) q = q.where('g.association_org_id', 'in', scope.orgIds)
  if (options.expiringBy) q = q.where('g.valid_until', '<=', options.expiringBy)
  if (options.query) q = q.where(containsText('p.name', options.query))
  const rows = await q
    .orderBy('g.valid_until')
    .orderBy('g.id')
    .limit(options.limit ?? 200)
    .execute()
  return rows.map(toManaged)
}

export async function getManagedGrade(db: Executor, gradeId: string): Promise<ManagedGrade | null> {
  if (!isId(gradeId)) return null
  const row = await managedQuery(db).where('g.id', '=', gradeId).executeTakeFirst()
  return row ? toManaged(row) : null
}

/** The last day of the expiry warning window. */
export function expiryHorizon(config: GradingConfig, today: string): string {
  return addDays(today, config.expiryWarningDays)
}

export interface GradeChangeInput {
  kind: 'demote' | 'revoke'
  toGradeCode?: string
  reason: string
  noticeStartOn: string
  version: number
}

export type GradeChangeResult =
  | { ok: true; newGradeId: string | null; revokedCertificate: string | null; newCertificate: string | null }
  | { ok: false; error: 'stale' | 'notLower' | 'noticeInPast' }

/**
 * Demotes (a new current row for the lower grade, same validity, source 'demotion', with a new
 * certificate) or revokes a current grade. The changed row keeps the reason and the notice period
 * shown on /notice/grade-change/<id>; its certificate is revoked with the reason. Guarded by the
 * row's version.
 */
export async function changeGrade(
  db: DB,
  request: Request,
  actor: AuditActor & { userId: string },
  grade: ManagedGrade,
  config: GradingConfig,
  associationName: string,
  input: GradeChangeInput,
  today = todayInChina(),
): Promise<GradeChangeResult> {
  if (input.noticeStartOn < today) return { ok: false, error: 'noticeInPast' }
  const target = input.kind === 'demote' ? config.grades.find((g) => g.code === input.toGradeCode) : undefined
  if (input.kind === 'demote' && (!target || target.rank <= grade.gradeRank)) return { ok: false, error: 'notLower' }
  const now = nowIso()
  const noticeEndOn = noticeEndDate(input.noticeStartOn, config.noticeWorkingDays)
  return db.transaction().execute(async (trx): Promise<GradeChangeResult> => {
    const updated = await trx
      .updateTable('mediator_grades')
      .set((eb) => ({
        status: input.kind === 'demote' ? 'demoted' : 'revoked',
        change_reason: input.reason,
        notice_start_on: input.noticeStartOn,
        notice_end_on: noticeEndOn,
        changed_by: actor.userId,
        changed_at: now,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', grade.id)
      .where('status', '=', 'current')
      .where('version', '=', input.version)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) return { ok: false, error: 'stale' }
    const revokedCertificate = await revokeCertificateOfGrade(trx, grade.id, input.reason)
    let newGradeId: string | null = null
    let newCertificate: string | null = null
    if (target) {
      newGradeId = newId()
      const row = {
        id: newGradeId,
        person_id: grade.personId,
        association_org_id: grade.associationOrgId,
        grade_code: target.code,
        grade_name: target.name,
        grade_rank: target.rank,
        status: 'current' as const,
        valid_from: today,
        valid_until: grade.validUntil < today ? today : grade.validUntil,
        source: 'demotion' as const,
        round_id: null,
        application_id: null,
        change_reason: input.reason,
        notice_start_on: null,
        notice_end_on: null,
        changed_by: actor.userId,
        changed_at: now,
        version: 1,
        created_at: now,
      }
      await trx.insertInto('mediator_grades').values(row).execute()
      newCertificate = await issueGradeCertificate(trx, row, associationName)
    }
    await audit(trx, request, actor, {
      action: input.kind === 'demote' ? 'grading.grade_demoted' : 'grading.grade_revoked',
      recordType: 'mediator_grade',
      recordId: grade.id,
      detail: {
        person: grade.personId,
        from: grade.gradeCode,
        to: target?.code ?? null,
        reason: input.reason,
        notice: [input.noticeStartOn, noticeEndOn],
        revokedCertificate,
        newCertificate,
      },
    })
    return { ok: true, newGradeId, revokedCertificate, newCertificate }
  })
}

export interface GradeChangeNotice {
  kind: 'demoted' | 'revoked'
  name: string
  orgName: string | null
  associationName: string
  fromGrade: string
  toGrade: string | null
  reason: string
  noticeStartOn: string
  noticeEndOn: string
}

/** The public notice of a demotion or revocation: name, organisation, grades, reason, period. No numbers. */
export async function gradeChangeNotice(db: Executor, gradeId: string): Promise<GradeChangeNotice | null> {
  if (!isId(gradeId)) return null
  const row = await db
    .selectFrom('mediator_grades as g')
    .innerJoin('people as p', 'p.id', 'g.person_id')
    .innerJoin('organisations as a', 'a.id', 'g.association_org_id')
    .leftJoin('mediators as m', 'm.person_id', 'p.id')
    .leftJoin('organisations as o', (join) => join.on((eb) => eb('o.id', '=', eb.fn.coalesce('m.org_id', 'p.org_id'))))
    .select([
      'g.status',
      'g.person_id',
      'g.changed_at',
      'p.name',
      'o.name as org_name',
      'a.name as association_name',
      'g.grade_name',
      'g.change_reason',
      'g.notice_start_on',
      'g.notice_end_on',
    ])
    .where('g.id', '=', gradeId)
    .where('g.status', 'in', ['demoted', 'revoked'])
    .executeTakeFirst()
  if (!row || !row.notice_start_on || !row.notice_end_on || !row.change_reason || !row.changed_at) return null
  let toGrade: string | null = null
  if (row.status === 'demoted') {
    const next = await db
      .selectFrom('mediator_grades')
      .select('grade_name')
      .where('person_id', '=', row.person_id)
      .where('source', '=', 'demotion')
      .where('changed_at', '=', row.changed_at)
      .executeTakeFirst()
    toGrade = next?.grade_name ?? null
  }
  return {
    kind: row.status as 'demoted' | 'revoked',
    name: row.name,
    orgName: row.org_name,
    associationName: row.association_name,
    fromGrade: row.grade_name,
    toGrade,
    reason: row.change_reason,
    noticeStartOn: row.notice_start_on,
    noticeEndOn: row.notice_end_on,
  }
}
