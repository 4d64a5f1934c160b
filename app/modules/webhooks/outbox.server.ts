/**
 * The outbox: a case module changing a referred case's status calls `recordCaseStatusChange`
 * with its own transaction, so the event and its first delivery exist exactly when the change
 * commits (and vanish with it on a rollback). Sending happens later, in the worker.
 */
import type { Executor } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import { nowIso } from '#app/lib/time.ts'
import type { CaseStatus } from '#db/schema.ts'
import { CASE_STATUS_CHANGED, type CaseOutcome, caseStatusBody, outcomeInBody, outcomeOf } from './payload.ts'

export interface StatusChange {
  caseId: string
  from: CaseStatus
  to: CaseStatus
  at?: string
}

/**
 * Writes the event and a pending delivery when the case was referred by a client that is active
 * and has a webhook URL; otherwise writes nothing. Returns the event id, or null. Call it inside
 * the transaction that changes `cases.status`.
 */
export async function recordCaseStatusChange(trx: Executor, change: StatusChange): Promise<string | null> {
  if (change.from === change.to) return null
  const referral = await trx
    .selectFrom('api_referrals as r')
    .innerJoin('api_clients as k', 'k.id', 'r.client_id')
    .innerJoin('cases as c', 'c.id', 'r.case_id')
    .select(['r.client_id', 'r.external_ref', 'k.webhook_url', 'k.status as client_status', 'c.case_number', 'c.outcome_note'])
    .where('r.case_id', '=', change.caseId)
    .executeTakeFirst()
  if (!referral || !referral.webhook_url || referral.client_status !== 'active') return null

  let outcome: CaseOutcome | null = outcomeOf(change.to)
  if (!outcome && (change.to === 'closed' || change.to === 'archived')) {
    // A closed case keeps the conclusion an earlier event reported.
    const earlier = await trx
      .selectFrom('webhook_events')
      .select('body')
      .where('case_id', '=', change.caseId)
      .orderBy('id', 'desc')
      .limit(20)
      .execute()
    outcome = earlier.map((e) => outcomeInBody(e.body)).find((o) => o !== null) ?? null
  }

  const at = change.at ?? nowIso()
  const eventId = newId()
  await trx
    .insertInto('webhook_events')
    .values({
      id: eventId,
      client_id: referral.client_id,
      case_id: change.caseId,
      type: CASE_STATUS_CHANGED,
      body: caseStatusBody(eventId, at, {
        case_id: change.caseId,
        case_number: referral.case_number,
        external_ref: referral.external_ref,
        status: change.to,
        previous_status: change.from,
        outcome,
        outcome_note: outcome ? referral.outcome_note : null,
        changed_at: at,
      }),
      created_at: at,
    })
    .execute()
  await trx
    .insertInto('webhook_deliveries')
    .values({
      id: newId(),
      event_id: eventId,
      client_id: referral.client_id,
      kind: 'original',
      status: 'pending',
      open_event_id: eventId,
      attempt_count: 0,
      next_attempt_at: at,
      claimed_by: null,
      claim_expires_at: null,
      last_status_code: null,
      last_error: null,
      delivered_at: null,
      requested_by: null,
      version: 1,
      created_at: at,
      updated_at: at,
    })
    .execute()
  return eventId
}
