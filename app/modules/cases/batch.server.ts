/**
 * Batch assignment on the database: load the chosen open cases and the pool, run planBatch (the
 * MIP only when rules cross, in the HiGHS worker), and confirm a plan in one transaction that
 * re-checks every pair (any refusal rolls the whole batch back and names the reason).
 */
import type { Executor } from '#app/lib/db.server.ts'
import { scopeCondition } from '#app/lib/list-scope.server.ts'
import type { ListScope } from '#app/modules/auth/policy.ts'
import type { BatchPlan } from '#app/modules/matching/batch.ts'
import { DEFAULT_BATCH_TIME_LIMIT_MS, planBatchOffThread } from '#app/modules/matching/batch-worker.server.ts'
import type { ConsultationMode } from '#db/schema.ts'
import { type AssignInput, AssignmentRefused, assignInTransaction, ensureLoadRows, inTransaction } from './consultations.server.ts'
import { activeMatchConfig, expertPool, loadMatchCases } from './matching.server.ts'
import { OPEN_STATUSES } from './model.ts'
import { bumpExpertLoadsVersion } from './pool-version.server.ts'

/** Open cases in scope that still need experts. */
export async function waitingCases(db: Executor, scope: ListScope, limit = 500) {
  return db
    .selectFrom('cases as c')
    .innerJoin('regions as r', 'r.code', 'c.region_code')
    .select([
      'c.id',
      'c.case_number',
      'c.title',
      'c.dispute_type_code',
      'c.difficulty',
      'r.name as region_name',
      'c.experts_needed',
      'c.experts_assigned',
    ])
    .where(scopeCondition(scope, { region: 'c.region_code', org: 'c.org_id' }))
    .where('c.status', 'in', OPEN_STATUSES)
    .whereRef('c.experts_assigned', '<', 'c.experts_needed')
    .orderBy('c.registered_at')
    .orderBy('c.id')
    .limit(limit)
    .execute()
}

export interface PairKey {
  caseId: string
  expertId: string
}

/**
 * Plans the given cases. `locks` are pairs staff keep (besides the experts already on a case);
 * `removed` are pairs staff struck out, which the re-run must not propose again. Large batches
 * (WORKER_MIN_CASES cases and more) are planned in a worker thread with a time limit (at least
 * DEFAULT_BATCH_TIME_LIMIT_MS, and the MIP's own limit plus 30 s): BatchTimeLimit when it is hit.
 */
export async function planCases(
  db: Executor,
  caseIds: readonly string[],
  today: string,
  locks: readonly PairKey[] = [],
  removed: readonly PairKey[] = [],
  /** The request's signal: a cancelled request stops the worker (BatchCancelled). */
  signal?: AbortSignal,
): Promise<BatchPlan> {
  const [cases, pool, { config }] = await Promise.all([loadMatchCases(db, caseIds), expertPool(db, today), activeMatchConfig(db)])
  const adjusted = cases.map((c) => ({
    ...c,
    lockedExpertIds: [...new Set([...c.lockedExpertIds, ...locks.filter((l) => l.caseId === c.id).map((l) => l.expertId)])],
    pinnedConflictExpertIds: [...c.pinnedConflictExpertIds, ...removed.filter((r) => r.caseId === c.id).map((r) => r.expertId)],
  }))
  // Experts already on a case are locks of that case; their active count already includes the
  // case, so it is taken back here (a lock takes its capacity again in planBatch).
  const onCases = new Map<string, number>()
  for (const c of cases) for (const id of c.lockedExpertIds) onCases.set(id, (onCases.get(id) ?? 0) + 1)
  const experts = onCases.size
    ? pool.experts.map((e) => {
        const n = onCases.get(e.id)
        return n ? { ...e, activeCases: Math.max(0, e.activeCases - n) } : e
      })
    : pool.experts
  const timeLimitMs = Math.max(DEFAULT_BATCH_TIME_LIMIT_MS, (config.batch.mipTimeLimitSeconds + 30) * 1000)
  return planBatchOffThread({ cases: adjusted, experts, config, asOf: today }, { timeLimitMs, signal })
}

export type ConfirmResult = { ok: true; created: number } | { ok: false; caseId: string; expertId: string; messages: string[] }

/** Invites every pair in one transaction; the first refusal rolls everything back. */
export async function confirmPlan(
  db: Executor,
  pairs: readonly PairKey[],
  options: { mode?: ConsultationMode; deadline: string; userId: string; today: string; auditAs?: AssignInput['auditAs'] },
): Promise<ConfirmResult> {
  await ensureLoadRows(
    db,
    pairs.map((p) => p.expertId),
  )
  try {
    const created = await inTransaction(db, async (trx) => {
      let n = 0
      const modes = new Map(
        (
          await trx
            .selectFrom('cases')
            .select(['id', 'consultation_mode'])
            .where('id', 'in', pairs.length ? pairs.map((p) => p.caseId) : [''])
            .execute()
        ).map((c) => [c.id, c.consultation_mode]),
      )
      for (const pair of pairs) {
        const result = await assignInTransaction(trx, {
          caseId: pair.caseId,
          expertId: pair.expertId,
          source: 'batch',
          mode: options.mode ?? modes.get(pair.caseId) ?? 'written',
          deadline: options.deadline,
          userId: options.userId,
          today: options.today,
          auditAs: options.auditAs,
        })
        if (result.created) n++
      }
      // Once, after every loads row is locked (the order inviteExpert keeps too).
      if (n) await bumpExpertLoadsVersion(trx, options.userId)
      return n
    })
    return { ok: true, created }
  } catch (error) {
    if (error instanceof AssignmentRefused) return { ok: false, caseId: error.caseId, expertId: error.expertId, messages: error.messages }
    throw error
  }
}
