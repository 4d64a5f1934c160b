/**
 * Staff decisions on a case that carry a written reason, stored in `case_decisions` and audited in
 * the same transaction:
 * - an administrator-pinned conflict of interest (回避) for an expert who was never invited: the
 *   expert is then excluded from the case (`conflict.pinned`) with that reason;
 * - the one extension of a court-entrusted case's time limit (法院委派委托: 30 days, extendable
 *   once by 30 days).
 * Repeats are no-ops (unique per case, kind and subject).
 */
import { type AuditActor, audit } from '#app/lib/audit.server.ts'
import type { Executor } from '#app/lib/db.server.ts'
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import { newId } from '#app/lib/ids.ts'
import { nowIso } from '#app/lib/time.ts'
import type { CaseDecisionKind } from '#db/schema.ts'
import { inTransaction } from './consultations.server.ts'
import { COURT_EXTENSION_DAYS, OPEN_STATUSES, TIME_LIMIT_SUBJECT, canExtendTimeLimit } from './model.ts'

export type DecisionResult = { ok: true; changed: boolean } | { ok: false; message: string }

export interface AuditAs {
  request: Request
  actor: AuditActor
}

async function insertDecision(
  db: Executor,
  row: { caseId: string; kind: CaseDecisionKind; subject: string; days: number | null; reason: string; userId: string | null },
  auditAs: AuditAs,
  event: { action: string; detail: Record<string, unknown> },
): Promise<boolean> {
  try {
    await inTransaction(db, async (trx) => {
      await trx
        .insertInto('case_decisions')
        .values({
          id: newId(),
          case_id: row.caseId,
          kind: row.kind,
          subject: row.subject,
          days: row.days,
          reason: row.reason,
          created_by: row.userId,
          created_at: nowIso(),
        })
        .execute()
      await audit(trx, auditAs.request, auditAs.actor, {
        action: event.action,
        recordType: 'case',
        recordId: row.caseId,
        detail: event.detail,
      })
    })
    return true
  } catch (error) {
    if (isUniqueViolation(error, ['case_decisions', 'uq_case_decisions_subject'])) return false
    throw error
  }
}

/**
 * Pins a conflict of interest for an expert on a case without inviting them. Refused for an
 * unknown expert, a closed case, or an expert who holds a slot on the case (withdraw instead).
 */
export async function pinConflict(
  db: Executor,
  input: { caseId: string; expertId: string; reason: string; userId: string | null },
  auditAs: AuditAs,
): Promise<DecisionResult> {
  const [kase, expert, onCase] = await Promise.all([
    db.selectFrom('cases').select(['status']).where('id', '=', input.caseId).executeTakeFirst(),
    db.selectFrom('experts').select(['person_id']).where('person_id', '=', input.expertId).executeTakeFirst(),
    db
      .selectFrom('case_consultations')
      .select(['id'])
      .where('case_id', '=', input.caseId)
      .where('expert_id', '=', input.expertId)
      .where('status', 'in', ['invited', 'accepted', 'submitted', 'rated'])
      .executeTakeFirst(),
  ])
  if (!kase) return { ok: false, message: 'cases.invite.noCase' }
  if (!expert) return { ok: false, message: 'cases.invite.noExpert' }
  if (!OPEN_STATUSES.includes(kase.status)) return { ok: false, message: 'cases.invite.caseClosed' }
  if (onCase) return { ok: false, message: 'cases.pin.onCase' }
  const changed = await insertDecision(
    db,
    { caseId: input.caseId, kind: 'conflict_pin', subject: input.expertId, days: null, reason: input.reason, userId: input.userId },
    auditAs,
    { action: 'case.conflict_pinned', detail: { expertId: input.expertId, reason: input.reason } },
  )
  return { ok: true, changed }
}

/** Extends a court-entrusted case's time limit once by 30 days, with a reason. */
export async function extendTimeLimit(
  db: Executor,
  input: { caseId: string; reason: string; userId: string | null },
  auditAs: AuditAs,
): Promise<DecisionResult> {
  const kase = await db.selectFrom('cases').select(['source', 'status']).where('id', '=', input.caseId).executeTakeFirst()
  if (!kase) return { ok: false, message: 'cases.invite.noCase' }
  const existing = await db
    .selectFrom('case_decisions')
    .select(['id'])
    .where('case_id', '=', input.caseId)
    .where('kind', '=', 'time_extension')
    .executeTakeFirst()
  if (existing) return { ok: false, message: 'cases.extension.already' }
  if (!canExtendTimeLimit(kase.source, kase.status, false)) return { ok: false, message: 'cases.extension.notAllowed' }
  const changed = await insertDecision(
    db,
    {
      caseId: input.caseId,
      kind: 'time_extension',
      subject: TIME_LIMIT_SUBJECT,
      days: COURT_EXTENSION_DAYS,
      reason: input.reason,
      userId: input.userId,
    },
    auditAs,
    { action: 'case.time_limit_extended', detail: { days: COURT_EXTENSION_DAYS, reason: input.reason } },
  )
  return changed ? { ok: true, changed } : { ok: false, message: 'cases.extension.already' }
}

/** The case's decisions: pinned conflicts (with the experts' names) and the extension, if any. */
export async function decisionsOfCase(db: Executor, caseId: string) {
  const rows = await db
    .selectFrom('case_decisions as d')
    .leftJoin('experts as e', 'e.person_id', 'd.subject')
    .select(['d.id', 'd.kind', 'd.subject', 'd.days', 'd.reason', 'd.created_at', 'e.name', 'e.employer'])
    .where('d.case_id', '=', caseId)
    .orderBy('d.created_at')
    .orderBy('d.id')
    .execute()
  const extension = rows.find((r) => r.kind === 'time_extension') ?? null
  return {
    pins: rows
      .filter((r) => r.kind === 'conflict_pin')
      .map((r) => ({ id: r.id, expertId: r.subject, name: r.name ?? '?', employer: r.employer ?? '', reason: r.reason, at: r.created_at })),
    extension: extension ? { days: extension.days ?? 0, reason: extension.reason, at: extension.created_at } : null,
  }
}
