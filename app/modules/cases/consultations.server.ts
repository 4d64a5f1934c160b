/**
 * The consultation workflow: invite (every hard constraint re-checked, the case's slots and the
 * expert's capacity taken by conditional updates so the database refuses what concurrent staff
 * actions would overbook) → accept / decline → opinion and hours → rating, which feeds the
 * expert's history (expert_loads) and so future scores. Repeats of a step are no-ops.
 */
import { sql, type Transaction } from 'kysely'
import { type AuditActor, audit } from '#app/lib/audit.server.ts'
import type { Executor } from '#app/lib/db.server.ts'
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import { newId } from '#app/lib/ids.ts'
import { nowIso } from '#app/lib/time.ts'
import { upsert } from '#app/lib/upsert.server.ts'
import { checkEligibility, exclusionRef } from '#app/modules/matching/constraints.ts'
import { scorePair } from '#app/modules/matching/score.ts'
import { messageRef } from '#app/modules/matching/util.ts'
import { recordCaseStatusChange } from '#app/modules/webhooks/outbox.server.ts'
import type { CaseStatus, ConsultationMode, ConsultationSource, Database } from '#db/schema.ts'
import { bumpExpertLoadsVersion } from './pool-version.server.ts'
import { activeMatchConfig, loadMatchCases, loadMatchExperts } from './matching.server.ts'
import { OPEN_STATUSES } from './model.ts'

export function inTransaction<R>(db: Executor, work: (trx: Transaction<Database>) => Promise<R>): Promise<R> {
  if (db.isTransaction) return work(db as Transaction<Database>)
  return (db as Exclude<Executor, Transaction<Database>>).transaction().execute(work)
}

/** A refusal with message references (already translated parameters aside) for the form. */
export class AssignmentRefused extends Error {
  constructor(
    readonly messages: string[],
    readonly expertId: string,
    readonly caseId: string,
  ) {
    super(`assignment refused: ${messages.join('; ')}`)
  }
}

export interface AssignInput {
  caseId: string
  expertId: string
  source: ConsultationSource
  reason?: string | null
  mode: ConsultationMode
  deadline: string
  userId: string | null
  today: string
  /**
   * Who invites, from where: when given, a case moved to 专家咨询 by this invitation is audited
   * (`case.status_changed`) inside the invitation's transaction.
   */
  auditAs?: { request: Request; actor: AuditActor }
}

/** Statuses that the first invitation of an expert moves to 专家咨询 (consulting). */
export const MOVED_TO_CONSULTING: readonly CaseStatus[] = ['accepted', 'mediating']

export type AssignResult = { consultationId: string; created: boolean; movedFrom?: CaseStatus }

/** Makes sure the expert has a load row, outside any transaction that will lock it. */
export async function ensureLoadRows(db: Executor, expertIds: readonly string[]): Promise<void> {
  const now = nowIso()
  for (const expertId of new Set(expertIds)) {
    await upsert(
      db,
      'expert_loads',
      {
        expert_id: expertId,
        active_count: 0,
        completed_count: 0,
        rating_count: 0,
        rating_sum: 0,
        hours_tenths: 0,
        last_assigned_on: null,
        updated_at: now,
      },
      ['expert_id'],
      { expert_id: expertId },
    )
  }
}

/**
 * Assigns one expert inside the given transaction; throws AssignmentRefused (the caller's
 * transaction then rolls back) when a constraint, the case's slots or the expert's capacity says no.
 */
export async function assignInTransaction(trx: Transaction<Database>, input: AssignInput): Promise<AssignResult> {
  const { caseId, expertId } = input
  const refuse = (...messages: string[]): never => {
    throw new AssignmentRefused(messages, expertId, caseId)
  }
  const status = await trx.selectFrom('cases').select(['status']).where('id', '=', caseId).executeTakeFirst()
  if (!status) refuse('cases.invite.noCase')
  if (!OPEN_STATUSES.includes(status!.status)) refuse('cases.invite.caseClosed')
  const existing = await trx
    .selectFrom('case_consultations')
    .select(['id', 'status'])
    .where('case_id', '=', caseId)
    .where('expert_id', '=', expertId)
    .executeTakeFirst()
  if (existing && existing.status !== 'declined' && existing.status !== 'withdrawn') return { consultationId: existing.id, created: false }

  const [[kase], [expert], { version, config }] = await Promise.all([
    loadMatchCases(trx, [caseId]),
    loadMatchExperts(trx, input.today, [expertId]),
    activeMatchConfig(trx),
  ])
  if (!expert) refuse('cases.invite.noExpert')
  const eligibility = checkEligibility(expert!, kase!, config)
  if (!eligibility.eligible) {
    const messages = eligibility.reasons.map(exclusionRef)
    if (eligibility.reasons.some((r) => r.code === 'conflict.pinned')) {
      // The written reason of a conflict staff pinned (a withdrawal's reason is on its consultation).
      const pin = await trx
        .selectFrom('case_decisions')
        .select(['reason'])
        .where('case_id', '=', caseId)
        .where('kind', '=', 'conflict_pin')
        .where('subject', '=', expertId)
        .executeTakeFirst()
      if (pin) messages.push(messageRef('cases.pin.because', { reason: pin.reason }))
    }
    refuse(...messages)
  }
  if (input.source === 'override' && !input.reason?.trim()) refuse('cases.invite.reasonRequired')
  const score = scorePair(expert!, kase!, config, input.today)

  const id = newId()
  const now = nowIso()
  try {
    await trx
      .insertInto('case_consultations')
      .values({
        id,
        case_id: caseId,
        expert_id: expertId,
        status: 'invited',
        source: input.source,
        override_reason: input.reason?.trim() || null,
        mode: input.mode,
        deadline: input.deadline,
        score_total: Math.round(score.total * 1e6) / 1e6,
        score_components: JSON.stringify(score.components),
        config_version: version,
        invited_by: input.userId,
        invited_at: now,
        responded_at: null,
        decline_reason: null,
        opinion_issues: null,
        opinion_analysis: null,
        opinion_resolution: null,
        opinion_legal_basis: null,
        hours_tenths: null,
        submitted_at: null,
        rating: null,
        rating_comment: null,
        rated_by: null,
        rated_at: null,
        version: 1,
      })
      .execute()
  } catch (error) {
    if (isUniqueViolation(error, ['case_consultations', 'uq_case_consultations_pair'])) refuse('cases.invite.duplicate')
    throw error
  }
  // The case's slots: raised only while below k.
  const slot = await trx
    .updateTable('cases')
    .set({ experts_assigned: sql`experts_assigned + 1`, updated_at: now })
    .where('id', '=', caseId)
    .where(sql<boolean>`experts_assigned < experts_needed`)
    .executeTakeFirst()
  if (Number(slot.numUpdatedRows) !== 1) refuse('cases.invite.caseFull')
  // The expert's capacity: raised only while below max_concurrent_cases.
  const load = await trx
    .updateTable('expert_loads')
    .set({ active_count: sql`active_count + 1`, last_assigned_on: input.today, updated_at: now })
    .where('expert_id', '=', expertId)
    .where(sql<boolean>`active_count < (select e.max_concurrent_cases from experts as e where e.person_id = ${expertId})`)
    .executeTakeFirst()
  if (Number(load.numUpdatedRows) !== 1) refuse('cases.invite.expertFull')
  // The first expert invited moves a case in 受理/调解中 to 专家咨询, in this same transaction.
  const from = status!.status
  if (MOVED_TO_CONSULTING.includes(from)) {
    const moved = await trx
      .updateTable('cases')
      .set({
        status: 'consulting',
        mediation_started_at: sql`coalesce(mediation_started_at, ${now})`,
        version: sql`version + 1`,
        updated_at: now,
      })
      .where('id', '=', caseId)
      .where('status', '=', from)
      .executeTakeFirst()
    if (Number(moved.numUpdatedRows) === 1) {
      await recordCaseStatusChange(trx, { caseId, from, to: 'consulting', at: now })
      if (input.auditAs) {
        await audit(trx, input.auditAs.request, input.auditAs.actor, {
          action: 'case.status_changed',
          recordType: 'case',
          recordId: caseId,
          detail: { from, to: 'consulting', cause: 'expert_invited', expertId, consultationId: id },
        })
      }
      return { consultationId: id, created: true, movedFrom: from }
    }
  }
  return { consultationId: id, created: true }
}

export type Outcome = { ok: true; created: boolean; consultationId: string } | { ok: false; messages: string[] }

const DEADLOCK = /deadlock|ER_LOCK_DEADLOCK|Lock wait timeout|SQLITE_BUSY/i

/** One invitation in its own transaction (retried once on a deadlock between concurrent staff). */
export async function inviteExpert(db: Executor, input: AssignInput): Promise<Outcome> {
  await ensureLoadRows(db, [input.expertId])
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await inTransaction(db, async (trx) => {
        const assigned = await assignInTransaction(trx, input)
        // Last, so every transaction locks the loads row before the stamp row (no deadlock).
        if (assigned.created) await bumpExpertLoadsVersion(trx, input.userId)
        return assigned
      })
      return { ok: true, ...result }
    } catch (error) {
      if (error instanceof AssignmentRefused) return { ok: false, messages: error.messages }
      if (attempt < 3 && error instanceof Error && DEADLOCK.test(`${error.message} ${(error as { code?: string }).code ?? ''}`)) continue
      throw error
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The expert's side

export type StepResult = { ok: true; changed: boolean } | { ok: false; message: string }

async function releaseSlot(trx: Transaction<Database>, caseId: string, expertId: string, now: string) {
  await trx
    .updateTable('cases')
    .set({ experts_assigned: sql`experts_assigned - 1`, updated_at: now })
    .where('id', '=', caseId)
    .where('experts_assigned', '>', 0)
    .execute()
  await trx
    .updateTable('expert_loads')
    .set({ active_count: sql`active_count - 1`, updated_at: now })
    .where('expert_id', '=', expertId)
    .where('active_count', '>', 0)
    .execute()
  await bumpExpertLoadsVersion(trx)
}

export async function acceptInvitation(db: Executor, consultationId: string, expertId: string): Promise<StepResult> {
  const result = await db
    .updateTable('case_consultations')
    .set({ status: 'accepted', responded_at: nowIso(), version: sql`version + 1` })
    .where('id', '=', consultationId)
    .where('expert_id', '=', expertId)
    .where('status', '=', 'invited')
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) === 1) return { ok: true, changed: true }
  return repeatOr(db, consultationId, ['accepted', 'submitted', 'rated'])
}

export async function declineInvitation(db: Executor, consultationId: string, expertId: string, reason: string): Promise<StepResult> {
  const changed = await inTransaction(db, async (trx) => {
    const now = nowIso()
    const row = await trx.selectFrom('case_consultations').select(['case_id']).where('id', '=', consultationId).executeTakeFirst()
    const result = await trx
      .updateTable('case_consultations')
      .set({ status: 'declined', responded_at: now, decline_reason: reason, version: sql`version + 1` })
      .where('id', '=', consultationId)
      .where('expert_id', '=', expertId)
      .where('status', '=', 'invited')
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1 || !row) return false
    await releaseSlot(trx, row.case_id, expertId, now)
    return true
  })
  if (changed) return { ok: true, changed: true }
  return repeatOr(db, consultationId, ['declined'])
}

/**
 * Staff withdraw an invitation (回避 decided by staff, or the expert cannot be reached): the slot
 * and the expert's capacity are freed, and the expert stays excluded from this case (conflict.pinned).
 */
export async function withdrawInvitation(db: Executor, caseId: string, consultationId: string, reason: string): Promise<StepResult> {
  const changed = await inTransaction(db, async (trx) => {
    const now = nowIso()
    const row = await trx
      .selectFrom('case_consultations')
      .select(['expert_id'])
      .where('id', '=', consultationId)
      .where('case_id', '=', caseId)
      .executeTakeFirst()
    if (!row) return false
    const result = await trx
      .updateTable('case_consultations')
      .set({ status: 'withdrawn', decline_reason: reason, responded_at: now, version: sql`version + 1` })
      .where('id', '=', consultationId)
      .where('status', 'in', ['invited', 'accepted'])
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) return false
    await releaseSlot(trx, caseId, row.expert_id, now)
    return true
  })
  if (changed) return { ok: true, changed: true }
  return repeatOr(db, consultationId, ['withdrawn'])
}

export interface OpinionInput {
  issues: string
  analysis: string
  resolution: string
  legalBasis: string
  hours: number
}

export async function submitOpinion(db: Executor, consultationId: string, expertId: string, input: OpinionInput): Promise<StepResult> {
  const result = await db
    .updateTable('case_consultations')
    .set({
      status: 'submitted',
      opinion_issues: input.issues,
      opinion_analysis: input.analysis,
      opinion_resolution: input.resolution,
      opinion_legal_basis: input.legalBasis,
      hours_tenths: Math.round(input.hours * 10),
      submitted_at: nowIso(),
      version: sql`version + 1`,
    })
    .where('id', '=', consultationId)
    .where('expert_id', '=', expertId)
    .where('status', '=', 'accepted')
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) === 1) return { ok: true, changed: true }
  return repeatOr(db, consultationId, ['submitted', 'rated'])
}

async function repeatOr(db: Executor, consultationId: string, done: readonly string[]): Promise<StepResult> {
  const row = await db.selectFrom('case_consultations').select(['status']).where('id', '=', consultationId).executeTakeFirst()
  if (row && done.includes(row.status)) return { ok: true, changed: false }
  return { ok: false, message: 'cases.consultation.wrongStep' }
}

// ---------------------------------------------------------------------------------------------
// Staff: rating

export async function rateConsultation(
  db: Executor,
  caseId: string,
  consultationId: string,
  rating: number,
  comment: string | null,
  userId: string,
): Promise<StepResult> {
  const changed = await inTransaction(db, async (trx) => {
    const now = nowIso()
    const row = await trx
      .selectFrom('case_consultations')
      .select(['expert_id', 'hours_tenths'])
      .where('id', '=', consultationId)
      .where('case_id', '=', caseId)
      .executeTakeFirst()
    if (!row) return false
    const result = await trx
      .updateTable('case_consultations')
      .set({ status: 'rated', rating, rating_comment: comment, rated_by: userId, rated_at: now, version: sql`version + 1` })
      .where('id', '=', consultationId)
      .where('status', '=', 'submitted')
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) return false
    await trx
      .updateTable('expert_loads')
      .set({
        active_count: sql`case when active_count > 0 then active_count - 1 else 0 end`,
        completed_count: sql`completed_count + 1`,
        rating_count: sql`rating_count + 1`,
        rating_sum: sql`rating_sum + ${rating}`,
        hours_tenths: sql`hours_tenths + ${row.hours_tenths ?? 0}`,
        updated_at: now,
      })
      .where('expert_id', '=', row.expert_id)
      .execute()
    await bumpExpertLoadsVersion(trx, userId)
    return true
  })
  if (changed) return { ok: true, changed: true }
  return repeatOr(db, consultationId, ['rated'])
}

// ---------------------------------------------------------------------------------------------
// Reads

export async function consultationsOfCase(db: Executor, caseId: string) {
  return db
    .selectFrom('case_consultations as x')
    .innerJoin('experts as e', 'e.person_id', 'x.expert_id')
    .select([
      'x.id',
      'x.expert_id',
      'e.name',
      'e.tier',
      'e.employer',
      'x.status',
      'x.source',
      'x.override_reason',
      'x.mode',
      'x.deadline',
      'x.score_total',
      'x.invited_at',
      'x.responded_at',
      'x.decline_reason',
      'x.opinion_issues',
      'x.opinion_analysis',
      'x.opinion_resolution',
      'x.opinion_legal_basis',
      'x.hours_tenths',
      'x.submitted_at',
      'x.rating',
      'x.rating_comment',
      'x.rated_at',
    ])
    .where('x.case_id', '=', caseId)
    .orderBy('x.invited_at')
    .execute()
}

/** Consultation history of one expert (for the expert's page): counts, ratings, hours, cases. */
export async function expertHistory(db: Executor, expertId: string) {
  const [load, rows] = await Promise.all([
    db.selectFrom('expert_loads').selectAll().where('expert_id', '=', expertId).executeTakeFirst(),
    db
      .selectFrom('case_consultations as x')
      .innerJoin('cases as c', 'c.id', 'x.case_id')
      .select(['x.id', 'c.case_number', 'c.title', 'x.status', 'x.rating', 'x.hours_tenths', 'x.invited_at'])
      .where('x.expert_id', '=', expertId)
      .orderBy('x.invited_at', 'desc')
      .limit(50)
      .execute(),
  ])
  return {
    active: load?.active_count ?? 0,
    completed: load?.completed_count ?? 0,
    ratingCount: load?.rating_count ?? 0,
    ratingAverage: load?.rating_count ? Math.round((load.rating_sum / load.rating_count) * 10) / 10 : null,
    hours: (load?.hours_tenths ?? 0) / 10,
    consultations: rows,
  }
}
