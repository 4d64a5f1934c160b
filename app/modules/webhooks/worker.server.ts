/**
 * The delivery worker, in every app process. Each round it reads a few due deliveries and claims
 * each with a conditional UPDATE (id, version, still due): with two app servers on one database
 * only one wins a row, so each attempt is made once. A claim lapses after the request timeout plus
 * a margin, so a server that dies mid-send leaves the delivery to another (the receiver may then
 * see the event twice, and recognises it by its id). The result is written only while the claim is
 * still ours.
 */
import { sql } from 'kysely'
import { decrypt } from '#app/lib/crypto.server.ts'
import { type BackgroundLoop, startLoop, workerIdentity } from '#app/lib/background-loop.server.ts'
import { type DB, type Executor, getDb } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import { isDelivered, nextStep } from './backoff.ts'
import { postWebhook, type SendOptions, type SendResult } from './send.server.ts'
import { readWebhookConfig } from './settings.server.ts'
import { DELIVERY_ID_HEADER, EVENT_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from './signature.ts'

const CLAIM_MARGIN_MS = 30_000
const DUE = ['pending', 'sending'] as const

export interface WorkerRound {
  workerId: string
  /** The clock (tests move it past a backoff). */
  now?: () => Date
  random?: () => number
  batchSize?: number
  /** The HTTP sender (tests may wrap it). */
  send?: (url: string, body: string, headers: Record<string, string>, options: SendOptions) => Promise<SendResult>
}

export interface RoundResult {
  claimed: number
  delivered: number
  retrying: number
  failed: number
}

interface Claimed {
  id: string
  eventId: string
  attemptNo: number
  version: number
}

/** Due deliveries, claimed for this worker; rows another worker took first are skipped. */
export async function claimDue(db: Executor, workerId: string, now: Date, leaseMs: number, limit: number): Promise<Claimed[]> {
  const nowText = now.toISOString()
  const candidates = await db
    .selectFrom('webhook_deliveries')
    .select(['id', 'event_id', 'version', 'attempt_count'])
    .where('status', 'in', DUE)
    .where('next_attempt_at', '<=', nowText)
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .execute()
  const expires = new Date(now.getTime() + leaseMs).toISOString()
  const claimed: Claimed[] = []
  for (const c of candidates) {
    const result = await db
      .updateTable('webhook_deliveries')
      .set({
        status: 'sending',
        claimed_by: workerId,
        claim_expires_at: expires,
        // While sending, "due" means "the claim has lapsed": one index serves both.
        next_attempt_at: expires,
        attempt_count: sql`attempt_count + 1`,
        version: sql`version + 1`,
        updated_at: nowText,
      })
      .where('id', '=', c.id)
      .where('version', '=', c.version)
      .where('status', 'in', DUE)
      .where('next_attempt_at', '<=', nowText)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) === 1) {
      claimed.push({ id: c.id, eventId: c.event_id, attemptNo: Number(c.attempt_count) + 1, version: Number(c.version) + 1 })
    }
  }
  return claimed
}

type Target = { url: string; secret: string } | { error: string }

async function targetOf(db: Executor, eventId: string): Promise<{ body: string; target: Target } | null> {
  const row = await db
    .selectFrom('webhook_events as e')
    .innerJoin('api_clients as k', 'k.id', 'e.client_id')
    .select(['e.body', 'k.webhook_url', 'k.webhook_secret', 'k.status'])
    .where('e.id', '=', eventId)
    .executeTakeFirst()
  if (!row) return null
  if (row.status !== 'active') return { body: row.body, target: { error: 'client_disabled' } }
  if (!row.webhook_url || !row.webhook_secret) return { body: row.body, target: { error: 'no_webhook_url' } }
  try {
    return { body: row.body, target: { url: row.webhook_url, secret: decrypt(row.webhook_secret) } }
  } catch {
    return { body: row.body, target: { error: 'secret_unreadable' } }
  }
}

async function attemptOne(db: DB, claim: Claimed, round: Required<Omit<WorkerRound, 'batchSize'>>, timeoutMs: number) {
  const found = await targetOf(db, claim.eventId)
  const startedAt = round.now()
  let result: SendResult
  if (!found) result = { statusCode: null, error: 'no_event', excerpt: null, durationMs: 0 }
  else if ('error' in found.target) result = { statusCode: null, error: found.target.error, excerpt: null, durationMs: 0 }
  else {
    const unix = Math.floor(startedAt.getTime() / 1000)
    result = await round.send(
      found.target.url,
      found.body,
      {
        [SIGNATURE_HEADER]: signatureHeader(found.target.secret, found.body, unix),
        [DELIVERY_ID_HEADER]: claim.id,
        [EVENT_ID_HEADER]: claim.eventId,
        'User-Agent': 'Tiaojie-Webhooks/1',
      },
      { timeoutMs },
    )
  }
  return { result, startedAt }
}

/** Records an attempt and moves the delivery on, only while the claim is still ours. */
async function recordAttempt(
  db: DB,
  claim: Claimed,
  workerId: string,
  outcome: { result: SendResult; startedAt: Date },
  step: ReturnType<typeof nextStep> | null,
  now: Date,
): Promise<'delivered' | 'retrying' | 'failed' | 'lost'> {
  const { result, startedAt } = outcome
  const nowText = now.toISOString()
  const delivered = isDelivered(result.statusCode) && result.error === null
  const state = delivered ? 'delivered' : step?.kind === 'retry' ? 'retrying' : 'failed'
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('webhook_deliveries')
      .set({
        status: state === 'retrying' ? 'pending' : state,
        open_event_id: state === 'retrying' ? claim.eventId : null,
        next_attempt_at: state === 'retrying' && step?.kind === 'retry' ? new Date(now.getTime() + step.delayMs).toISOString() : null,
        claimed_by: null,
        claim_expires_at: null,
        last_status_code: result.statusCode,
        last_error: result.error,
        delivered_at: delivered ? nowText : null,
        version: sql`version + 1`,
        updated_at: nowText,
      })
      .where('id', '=', claim.id)
      .where('claimed_by', '=', workerId)
      .where('version', '=', claim.version)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) return 'lost'
    await trx
      .insertInto('webhook_attempts')
      .values({
        id: newId(),
        delivery_id: claim.id,
        attempt_no: claim.attemptNo,
        started_at: startedAt.toISOString(),
        duration_ms: Math.max(0, Math.round(result.durationMs)),
        status_code: result.statusCode,
        error: result.error ? result.error.slice(0, 300) : null,
        response_excerpt: result.excerpt ? result.excerpt.slice(0, 500) : null,
      })
      .execute()
    return state
  })
}

/** One round: claim what is due and attempt it (in parallel, a few at a time). */
export async function runDueDeliveries(db: DB, options: WorkerRound): Promise<RoundResult> {
  const round = {
    workerId: options.workerId,
    now: options.now ?? (() => new Date()),
    random: options.random ?? Math.random,
    send: options.send ?? postWebhook,
  }
  const config = await readWebhookConfig(db)
  const claims = await claimDue(db, round.workerId, round.now(), config.timeoutMs + CLAIM_MARGIN_MS, options.batchSize ?? 5)
  const totals: RoundResult = { claimed: claims.length, delivered: 0, retrying: 0, failed: 0 }
  await Promise.all(
    claims.map(async (claim) => {
      const outcome = await attemptOne(db, claim, round, config.timeoutMs)
      const failed = !(isDelivered(outcome.result.statusCode) && outcome.result.error === null)
      // Deliveries with no usable target are not retried: nothing would change until staff act.
      const permanent = outcome.result.error !== null && outcome.result.statusCode === null && !isTransient(outcome.result.error)
      const step = failed ? (permanent ? { kind: 'give_up' as const } : nextStep(claim.attemptNo, config.policy, round.random)) : null
      const state = await recordAttempt(db, claim, round.workerId, outcome, step, round.now())
      if (state !== 'lost') totals[state]++
    }),
  )
  return totals
}

/** Failures worth another attempt: the receiver's network or its answer, not our configuration. */
function isTransient(error: string): boolean {
  return error === 'timeout' || error.startsWith('network:')
}

// ---------------------------------------------------------------------------------------------
// The loop in the app process

export const POLL_INTERVAL_MS = 2000

let running: BackgroundLoop | null = null

/** Starts the loop once per process (server/start.js calls it through entry.server). */
export function startWebhookWorker(intervalMs = POLL_INTERVAL_MS): { stop: () => void } {
  if (running) return running
  const workerId = workerIdentity()
  running = startLoop('webhook worker', intervalMs, async (loop) => {
    // Keep going while rounds are full, so a backlog drains without waiting a poll per batch.
    for (let i = 0; i < 20 && !loop.stopped; i++) {
      const round = await runDueDeliveries(getDb(), { workerId })
      if (round.claimed === 0) break
    }
  })
  return running
}

export function stopWebhookWorker(): void {
  running?.stop()
  running = null
}
