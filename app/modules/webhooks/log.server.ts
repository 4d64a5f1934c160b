/**
 * The delivery log staff read (/admin/webhooks): deliveries of events of cases in the user's
 * scope, filtered by client, status and case; one delivery with its attempts; and replay, which
 * queues a new delivery of the same event (same event id and body, signed afresh).
 */
import type { Executor } from '#app/lib/db.server.ts'
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import { newId } from '#app/lib/ids.ts'
import { scopeCondition } from '#app/lib/list-scope.server.ts'
import { nowIso } from '#app/lib/time.ts'
import type { ListScope } from '#app/modules/auth/policy.ts'
import type { DeliveryFilter } from './filters.ts'
import { outcomeInBody } from './payload.ts'

export const PAGE_SIZE = 50

function baseQuery(db: Executor, scope: ListScope) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .innerJoin('cases as c', 'c.id', 'e.case_id')
    .innerJoin('api_clients as k', 'k.id', 'd.client_id')
    .where(scopeCondition(scope, { region: 'c.region_code', org: 'c.org_id' }))
}

export async function listDeliveries(db: Executor, scope: ListScope, filter: DeliveryFilter) {
  let q = baseQuery(db, scope)
  if (filter.clientId) q = q.where('d.client_id', '=', filter.clientId)
  if (filter.status) q = q.where('d.status', '=', filter.status)
  if (filter.caseId) q = q.where('e.case_id', '=', filter.caseId)
  const [rows, count] = await Promise.all([
    q
      .select([
        'd.id',
        'd.event_id',
        'd.kind',
        'd.status',
        'd.attempt_count',
        'd.next_attempt_at',
        'd.last_status_code',
        'd.last_error',
        'd.delivered_at',
        'd.created_at',
        'e.type',
        'e.case_id',
        'c.case_number',
        'k.name as client_name',
      ])
      .orderBy('d.id', 'desc')
      .limit(PAGE_SIZE)
      .offset((filter.page - 1) * PAGE_SIZE)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
  ])
  return { rows, total: Number(count?.n ?? 0) }
}

/** Clients that have deliveries the user may see, for the filter. */
export async function clientChoices(db: Executor, scope: ListScope) {
  return baseQuery(db, scope).select(['k.id', 'k.name']).distinct().orderBy('k.name').limit(200).execute()
}

/** A delivery with where its case sits (for the access check), its event and its attempts. */
export async function getDelivery(db: Executor, deliveryId: string) {
  const row = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .innerJoin('cases as c', 'c.id', 'e.case_id')
    .innerJoin('regions as r', 'r.code', 'c.region_code')
    .innerJoin('api_clients as k', 'k.id', 'd.client_id')
    .selectAll('d')
    .select([
      'e.type',
      'e.body',
      'e.case_id',
      'e.created_at as event_created_at',
      'c.case_number',
      'c.org_id',
      'r.path as region_path',
      'k.name as client_name',
      'k.webhook_url',
    ])
    .where('d.id', '=', deliveryId)
    .executeTakeFirst()
  if (!row) return null
  const [attempts, siblings] = await Promise.all([
    db
      .selectFrom('webhook_attempts')
      .select(['id', 'attempt_no', 'started_at', 'duration_ms', 'status_code', 'error', 'response_excerpt'])
      .where('delivery_id', '=', deliveryId)
      .orderBy('attempt_no')
      .execute(),
    db
      .selectFrom('webhook_deliveries')
      .select(['id', 'kind', 'status', 'created_at'])
      .where('event_id', '=', row.event_id)
      .orderBy('id')
      .execute(),
  ])
  return { ...row, outcome: outcomeInBody(row.body), attempts, siblings }
}

export type ReplayResult = { ok: true; deliveryId: string } | { ok: false; reason: 'open' | 'missing' }

/**
 * Queues the event again. Refused while a delivery of the event is still pending or sending (the
 * unique open_event_id), which also makes a double-submitted replay create one delivery.
 */
export async function replayDelivery(db: Executor, deliveryId: string, userId: string): Promise<ReplayResult> {
  const source = await db.selectFrom('webhook_deliveries').select(['event_id', 'client_id']).where('id', '=', deliveryId).executeTakeFirst()
  if (!source) return { ok: false, reason: 'missing' }
  const id = newId()
  const now = nowIso()
  try {
    await db
      .insertInto('webhook_deliveries')
      .values({
        id,
        event_id: source.event_id,
        client_id: source.client_id,
        kind: 'replay',
        status: 'pending',
        open_event_id: source.event_id,
        attempt_count: 0,
        next_attempt_at: now,
        claimed_by: null,
        claim_expires_at: null,
        last_status_code: null,
        last_error: null,
        delivered_at: null,
        requested_by: userId,
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute()
  } catch (error) {
    if (isUniqueViolation(error, ['webhook_deliveries.open_event_id', 'open_event_id'])) return { ok: false, reason: 'open' }
    throw error
  }
  return { ok: true, deliveryId: id }
}
