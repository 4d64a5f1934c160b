/**
 * Cancelling a batch plan: when the request that asked for it goes away, its AbortSignal stops the
 * worker thread at once (BatchCancelled), before the plan or the time limit; an already aborted
 * signal never starts a worker.
 */
import { afterAll, describe, expect, it } from 'vitest'
import type { BatchInput } from './batch.ts'
import { BatchCancelled, BatchTimeLimit, WORKER_MIN_CASES, planBatchInWorker, planBatchOffThread } from './batch-worker.server.ts'
import { generateCases, generateExperts, makeOrganisations, makeRegions, prng } from './generate.ts'
import { stopModelWorker } from './highs-worker.server.ts'

const asOf = '2026-11-23'
const regions = makeRegions(2, 3, 4)
const organisations = makeOrganisations(40)

afterAll(async () => {
  await stopModelWorker()
})

function instance(cases: number, experts: number): BatchInput {
  const ex = generateExperts(prng(5), experts, { asOf, regions, organisations, capacity: [0, 3] })
  const cs = generateCases(prng(6), cases, { asOf, regions, organisations, k: [1, 3], ruleRate: 0.5, expertIds: ex.map((e) => e.id) })
  return { cases: cs, experts: ex, asOf }
}

describe('cancelling a batch plan', () => {
  it('rejects at once without a worker when the request is already gone', async () => {
    const controller = new AbortController()
    controller.abort()
    const input = instance(WORKER_MIN_CASES + 10, 500)
    await expect(planBatchOffThread(input, { signal: controller.signal })).rejects.toBeInstanceOf(BatchCancelled)
    await expect(planBatchInWorker(input, 60_000, controller.signal)).rejects.toBeInstanceOf(BatchCancelled)
  })

  it('stops a running worker when the request aborts, long before the time limit', { timeout: 30_000 }, async () => {
    const controller = new AbortController()
    const input = instance(WORKER_MIN_CASES + 200, 3_000)
    const started = Date.now()
    const planned = planBatchInWorker(input, 20_000, controller.signal)
    setTimeout(() => controller.abort(), 20)
    const error = await planned.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BatchCancelled)
    expect(error).not.toBeInstanceOf(BatchTimeLimit)
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})
