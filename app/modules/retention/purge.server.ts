/**
 * Removes the parties' personal data of closed cases whose retention has run out
 * (docs/decisions/028-party-data-retention.md). Per due case: each person party's name becomes a
 * neutral label (当事人1…), every party's sealed ID number, its keyed hash and its masked form are
 * cleared, the referral's request hash (a digest of the partner's body, parties included) is
 * cleared, and `cases.parties_purged_at` is set. The case record itself, organisation parties and
 * everything counted in statistics stay.
 *
 * Cases are read in small batches by keyset on their id; each batch is one transaction. A case is
 * claimed by a conditional UPDATE (still unpurged, still closed before the cutoff), and only the
 * claimant touches its parties: two app servers running at once each purge a case at most once
 * between them, and a second run finds nothing left. One audit entry per run carries the counts,
 * never names.
 */
import { type ExpressionBuilder, sql } from 'kysely'
import { type AuditActor, audit } from '#app/lib/audit.server.ts'
import type { DB, Executor } from '#app/lib/db.server.ts'
import type { Database } from '#db/schema.ts'
import { CLOSED_STATUSES, isDue, personLabels, retentionCutoff } from './rules.ts'
import { readRetentionSettings } from './settings.server.ts'

export const PURGE_ACTION = 'retention.parties_purged'
export const DEFAULT_BATCH_SIZE = 25

export type PurgeTrigger = 'schedule' | 'admin' | 'cli'

export interface PurgeOptions {
  trigger: PurgeTrigger
  actor: AuditActor
  /** The request behind an administrator's run; background runs pass a synthetic one. */
  request: Request
  now?: Date
  batchSize?: number
  /** Count what a run would do, change nothing and write no audit entry. */
  dryRun?: boolean
}

export interface PurgeResult {
  cutoff: string
  months: number
  dryRun: boolean
  /** Cases whose parties this run purged (or would purge). */
  cases: number
  /** Person parties renamed and cleared. */
  persons: number
  /** Referral request hashes cleared. */
  referrals: number
  batches: number
}

/** The purge's own principal in the audit log when no person asked for the run. */
export const SYSTEM_ACTOR: AuditActor = { userId: null, username: 'system:retention', roles: null, scope: null }

export function systemRequest(): Request {
  return new Request('http://localhost/internal/retention')
}

/** `rules.isDue` as SQL: closed, not purged, retention started at or before the cutoff. */
function dueCondition(cutoff: string) {
  return (eb: ExpressionBuilder<Database, 'cases'>) =>
    eb.and([
      eb('cases.parties_purged_at', 'is', null),
      eb('cases.status', 'in', CLOSED_STATUSES),
      eb(eb.fn.coalesce('cases.closed_at', 'cases.archived_at'), '<=', cutoff),
    ])
}

export async function cutoffNow(db: Executor, now = new Date()): Promise<{ cutoff: string; months: number }> {
  const { partyDataMonths } = await readRetentionSettings(db)
  return { cutoff: retentionCutoff(now, partyDataMonths), months: partyDataMonths }
}

/** How many cases are due at `cutoff`, and how many person parties they hold. */
export async function countDue(db: Executor, cutoff: string): Promise<{ cases: number; persons: number }> {
  const [cases, persons] = await Promise.all([
    db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(dueCondition(cutoff))
      .executeTakeFirst(),
    db
      .selectFrom('case_parties as p')
      .innerJoin('cases', 'cases.id', 'p.case_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('p.kind', '=', 'person')
      .where(dueCondition(cutoff))
      .executeTakeFirst(),
  ])
  return { cases: Number(cases?.n ?? 0), persons: Number(persons?.n ?? 0) }
}

interface BatchCounts {
  cases: number
  persons: number
  referrals: number
}

/** Claims and purges the due cases among `candidates`, in one transaction. */
async function purgeBatch(db: DB, candidates: string[], cutoff: string, at: string): Promise<BatchCounts> {
  return db.transaction().execute(async (trx) => {
    const claimed: string[] = []
    // Ascending ids, like every other run: two servers lock cases in the same order, so they
    // wait for each other instead of deadlocking, and the later one finds the case claimed.
    for (const caseId of candidates) {
      const claim = await trx
        .updateTable('cases')
        .set({ parties_purged_at: at })
        .where('id', '=', caseId)
        .where(dueCondition(cutoff))
        .executeTakeFirst()
      if (Number(claim.numUpdatedRows) === 1) claimed.push(caseId)
    }
    if (!claimed.length) return { cases: 0, persons: 0, referrals: 0 }

    // Only this transaction holds these cases, so their parties are cleared in one statement.
    const parties = await trx
      .selectFrom('case_parties')
      .select(['id', 'case_id', 'kind'])
      .where('case_id', 'in', claimed)
      .orderBy('case_id')
      .orderBy('sort')
      .orderBy('id')
      .execute()
    const labels = personLabels(parties)
    await trx
      .updateTable('case_parties')
      .set({
        // Organisations are not personal data: their names stay, for the record and statistics.
        ...(labels.size ? { name: renamed(labels) } : {}),
        id_number_enc: null,
        id_number_hash: null,
        id_number_masked: null,
      })
      .where('case_id', 'in', claimed)
      .execute()
    // A case has at most one referral (api_referrals.case_id is unique).
    const referrals = await trx
      .updateTable('api_referrals')
      .set({ request_hash: null })
      .where('case_id', 'in', claimed)
      .where('request_hash', 'is not', null)
      .executeTakeFirst()
    return { cases: claimed.length, persons: labels.size, referrals: Number(referrals.numUpdatedRows) }
  })
}

/** `CASE id WHEN … THEN '当事人N' … ELSE name END`: each person's label, everyone else's name kept. */
function renamed(labels: Map<string, string>) {
  const choices = [...labels].map(([id, label]) => sql`when ${id} then ${label}`)
  return sql<string>`case ${sql.ref('id')} ${sql.join(choices, sql` `)} else ${sql.ref('name')} end`
}

/** One run over every due case, batch by batch; audited once with its counts (not for a dry run). */
export async function purgeDueParties(db: DB, options: PurgeOptions): Promise<PurgeResult> {
  const now = options.now ?? new Date()
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE
  const { cutoff, months } = await cutoffNow(db, now)
  const result: PurgeResult = { cutoff, months, dryRun: !!options.dryRun, cases: 0, persons: 0, referrals: 0, batches: 0 }
  if (options.dryRun) {
    const due = await countDue(db, cutoff)
    return { ...result, cases: due.cases, persons: due.persons }
  }

  const at = now.toISOString()
  let after = ''
  try {
    for (;;) {
      const rows = await db
        .selectFrom('cases')
        .select(['id', 'status', 'closed_at', 'archived_at', 'parties_purged_at'])
        .where(dueCondition(cutoff))
        .where('id', '>', after)
        .orderBy('id')
        .limit(batchSize)
        .execute()
      if (!rows.length) break
      after = rows[rows.length - 1]!.id
      const due = rows.filter((r) => isDue(r, cutoff)).map((r) => r.id)
      const counts = await purgeBatch(db, due, cutoff, at)
      result.cases += counts.cases
      result.persons += counts.persons
      result.referrals += counts.referrals
      result.batches++
      if (rows.length < batchSize) break
    }
  } catch (error) {
    // What committed before the failure stays purged (and marked); the entry says how far it got.
    await writeRunEntry(db, options, result, 'failed').catch(() => undefined)
    throw error
  }
  await writeRunEntry(db, options, result, 'ok')
  return result
}

function writeRunEntry(db: Executor, options: PurgeOptions, result: PurgeResult, outcome: 'ok' | 'failed') {
  return audit(db, options.request, options.actor, {
    action: PURGE_ACTION,
    recordType: 'retention',
    result: outcome,
    detail: {
      trigger: options.trigger,
      months: result.months,
      cutoff: result.cutoff,
      cases: result.cases,
      persons: result.persons,
      referrals: result.referrals,
      batches: result.batches,
    },
  })
}

export interface RunEntry {
  id: string
  at: string
  username: string | null
  result: string
  trigger: PurgeTrigger | null
  months: number | null
  cutoff: string | null
  cases: number
  persons: number
}

function numberIn(detail: Record<string, unknown>, key: string): number {
  const value = detail[key]
  return typeof value === 'number' && Number.isFinite(value) ? value : 0
}

/** The latest runs, newest first, read back from their audit entries. */
export async function recentRuns(db: Executor, limit = 10): Promise<RunEntry[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select(['id', 'at', 'username', 'result', 'detail'])
    .where('action', '=', PURGE_ACTION)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
  return rows.map((row) => {
    let detail: Record<string, unknown> = {}
    try {
      detail = JSON.parse(row.detail ?? '{}') as Record<string, unknown>
    } catch {
      // A malformed detail leaves the counts at zero.
    }
    const trigger = detail.trigger
    return {
      id: row.id,
      at: row.at,
      username: row.username,
      result: row.result,
      trigger: trigger === 'schedule' || trigger === 'admin' || trigger === 'cli' ? trigger : null,
      months: typeof detail.months === 'number' ? detail.months : null,
      cutoff: typeof detail.cutoff === 'string' ? detail.cutoff : null,
      cases: numberIn(detail, 'cases'),
      persons: numberIn(detail, 'persons'),
    }
  })
}

/** When the last successful run started, whoever ran it (the daily tick skips a day already done). */
export async function lastSuccessfulRunAt(db: Executor): Promise<string | null> {
  const row = await db
    .selectFrom('audit_log')
    .select('at')
    .where('action', '=', PURGE_ACTION)
    .where('result', '=', 'ok')
    .orderBy('at', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row?.at ?? null
}
