import { afterAll, describe, expect, it } from 'vitest'
import { type BatchInput, type BatchPlan, planBatch } from './batch.ts'
import { BatchTimeLimit, WORKER_MIN_CASES, planBatchInWorker, planBatchOffThread } from './batch-worker.server.ts'
import { generateCases, generateExperts, makeOrganisations, makeRegions, prng } from './generate.ts'
import { solveModelInWorker, stopModelWorker } from './highs-worker.server.ts'

const asOf = '2026-11-23'
const regions = makeRegions(2, 3, 4)
const organisations = makeOrganisations(40)

afterAll(async () => {
  await stopModelWorker()
})

function instance(seed: number, cases: number, experts: number, crossing = false): BatchInput {
  const ex = generateExperts(prng(seed), experts, { asOf, regions, organisations, capacity: [0, 3] })
  const cs = generateCases(prng(seed + 1), cases, {
    asOf,
    regions,
    organisations,
    k: [1, 3],
    ...(crossing ? { twoRuleRate: 0.5 } : { ruleRate: 0.5 }),
    expertIds: ex.map((e) => e.id),
  })
  return { cases: cs, experts: ex, asOf }
}

/** The plan without its timings (the only thing allowed to differ between two runs). */
function timeless(plan: BatchPlan) {
  const { ms: _ms, mip, ...solver } = plan.solver
  return { ...plan, solver: { ...solver, mip: mip ? { ...mip, ms: 0 } : undefined } }
}

describe('batch plans in a worker thread', () => {
  it('returns exactly the inline plan (flow path), and keeps the event loop free meanwhile', async () => {
    const input = instance(21, WORKER_MIN_CASES + 50, 2_000)
    const inline = await planBatch(input, { modelSolver: solveModelInWorker })
    let ticks = 0
    const ticker = setInterval(() => ticks++, 1)
    const offThread = await planBatchOffThread(input)
    clearInterval(ticker)
    expect(offThread.solver.method).toBe('flow')
    expect(timeless(offThread)).toEqual(timeless(inline))
    expect(offThread.totals.filled).toBeGreaterThan(0)
    expect(ticks).toBeGreaterThan(0)
  }, 60_000)

  it('returns exactly the inline plan on the MIP path (crossing rules, HiGHS from inside the worker)', async () => {
    const input = instance(31, 60, 300, true)
    const inline = await planBatch(input, { modelSolver: solveModelInWorker })
    const offThread = await planBatchInWorker(input)
    expect(offThread.solver.method).toBe('mip')
    expect(timeless(offThread)).toEqual(timeless(inline))
  }, 60_000)

  it('plans small batches inline, and stops a worker at its time limit', async () => {
    const small = instance(41, 5, 50)
    const plan = await planBatchOffThread(small)
    expect(timeless(plan)).toEqual(timeless(await planBatch(small)))
    await expect(planBatchInWorker(instance(51, WORKER_MIN_CASES, 3_000), 1)).rejects.toBeInstanceOf(BatchTimeLimit)
  }, 60_000)
})
