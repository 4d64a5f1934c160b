/**
 * match-batch: optimal batch assignment (issue 4: 500 cases × 5,000 experts, 1-3 experts per case,
 * capacities 0-3, under 2 s end to end with the optimum verified; 5,000 × 20,000 reported too).
 * Pure, in memory (dialect 'none'): generation is outside the timing, planBatch is inside
 * (indexing, eligibility, scoring, solving, explaining short cases, assembling the plan).
 *
 * How the optimum is verified, outside the timing, independently of the solver:
 * 1. checkPlan: every hard constraint, k, capacity, rule and the objective recomputed from the
 *    raw input (violations must be 0);
 * 2. dual certificate: the solver's node potentials checked against the residual network of the
 *    plan's own assignments (no negative reduced cost ⇒ no better plan, by LP duality);
 * 3. for 500 × 5,000, a second formulation: the assignment LP solved by HiGHS (simplex) in a
 *    worker, two stages (max filled slots; then max score − load cost). The LP relaxation bounds
 *    every integer plan from above, so a plan reaching it is optimal: gaps must be < 1 unit.
 * Also: a scarce instance (500 cases × 1,000 experts, capacities 0-1: fewer places than slots), and
 * the MIP path (crossing rules) on 100 cases × 1,000 experts, time and proven optimality.
 */
import { buildAssignmentModel } from '#app/modules/matching/assignment-model.ts'
import { type BatchInput, planBatch, planBatchDetailed } from '#app/modules/matching/batch.ts'
import { generateCases, generateExperts, makeOrganisations, makeRegions, prng } from '#app/modules/matching/generate.ts'
import { solveModelInWorker, stopModelWorker } from '#app/modules/matching/highs-worker.server.ts'
import { checkFlowCertificate, checkPlan } from '#app/modules/matching/verify.ts'
import { type BenchOptions, type BenchRecord, measure, timingRecords } from './lib/report.ts'

const asOf = '2026-11-23'

function instance(
  cases: number,
  experts: number,
  seed: number,
  shape: { provinces: number; cities: number; districts: number; orgs: number },
  twoRuleRate = 0,
  capacity: [number, number] = [0, 3],
): BatchInput {
  const regions = makeRegions(shape.provinces, shape.cities, shape.districts)
  const organisations = makeOrganisations(shape.orgs)
  const pool = generateExperts(prng(seed), experts, { asOf, regions, organisations, capacity })
  const list = generateCases(prng(seed + 1), cases, {
    asOf,
    regions,
    organisations,
    k: [1, 3],
    ruleRate: 0.3,
    twoRuleRate,
    expertIds: pool.map((e) => e.id),
  })
  return { cases: list, experts: pool, asOf }
}

export default async function run(_options: BenchOptions): Promise<BenchRecord[]> {
  const records: BenchRecord[] = []
  const at = () => new Date().toISOString()
  const figure = (n: number, metric: string, value: number, unit: string, better: 'lower' | 'higher', target?: number): BenchRecord => ({
    bench: 'match-batch',
    metric,
    value: Math.round(value * 1000) / 1000,
    unit,
    ...(target === undefined ? {} : { target }),
    better,
    dialect: 'none',
    n,
    runs: 1,
    at: at(),
  })

  try {
    // 500 cases × 5,000 experts: the target.
    const small = instance(500, 5_000, 11, { provinces: 3, cities: 4, districts: 5, orgs: 800 })
    const times = await measure(() => planBatch(small), 10, 2)
    records.push(...timingRecords({ bench: 'match-batch', dialect: 'none', n: 500, target: 2000 }, 'plan-500x5000', times))
    const detailed = await planBatchDetailed(small)
    const { plan, problem, certificate } = detailed
    records.push(figure(500, 'violations-500x5000', checkPlan(small, plan).violations.length, 'count', 'lower', 0))
    records.push(
      figure(
        500,
        'certificate-violations-500x5000',
        certificate ? checkFlowCertificate(problem, plan, certificate).length : -1,
        'count',
        'lower',
        0,
      ),
    )
    records.push(figure(500, 'filled-share-500x5000', plan.totals.filled / plan.totals.slots, 'ratio', 'higher'))
    records.push(figure(500, 'pairs-500x5000', plan.solver.pairs, 'pairs', 'higher'))
    const lpStart = performance.now()
    const lp = await solveModelInWorker({ model: buildAssignmentModel(problem, false), timeLimitSeconds: 600 })
    records.push(figure(500, 'lp-check-ms-500x5000', performance.now() - lpStart, 'ms', 'lower'))
    // No locks in generated instances: the plan's objective is all new pairs, like the LP's.
    records.push(
      figure(
        500,
        'lp-filled-gap-500x5000',
        lp.status === 'optimal' ? Math.abs(lp.filled - (plan.totals.filled - plan.totals.locked)) : -1,
        'slots',
        'lower',
        0.001,
      ),
    )
    records.push(
      figure(
        500,
        'lp-objective-gap-500x5000',
        lp.status === 'optimal' ? Math.abs(lp.objective - plan.totals.objectiveUnits) : -1,
        'units',
        'lower',
        1,
      ),
    )

    // Scarce: 500 cases × 1,000 experts with capacities 0-1, fewer places than slots, so the
    // optimum must trade cases against each other (long augmenting paths, empty slots).
    const scarce = instance(500, 1_000, 41, { provinces: 3, cities: 4, districts: 5, orgs: 300 }, 0, [0, 1])
    const scarceTimes = await measure(() => planBatch(scarce), 10, 2)
    records.push(...timingRecords({ bench: 'match-batch', dialect: 'none', n: 500, target: 2000 }, 'plan-scarce-500x1000', scarceTimes))
    const tight = await planBatchDetailed(scarce)
    records.push(figure(500, 'filled-share-scarce-500x1000', tight.plan.totals.filled / tight.plan.totals.slots, 'ratio', 'higher'))
    records.push(figure(500, 'violations-scarce-500x1000', checkPlan(scarce, tight.plan).violations.length, 'count', 'lower', 0))
    records.push(
      figure(
        500,
        'certificate-violations-scarce-500x1000',
        tight.certificate ? checkFlowCertificate(tight.problem, tight.plan, tight.certificate).length : -1,
        'count',
        'lower',
        0,
      ),
    )
    const tightLp = await solveModelInWorker({ model: buildAssignmentModel(tight.problem, false), timeLimitSeconds: 600 })
    records.push(
      figure(
        500,
        'lp-filled-gap-scarce-500x1000',
        tightLp.status === 'optimal' ? Math.abs(tightLp.filled - tight.plan.totals.filled) : -1,
        'slots',
        'lower',
        0.001,
      ),
    )
    records.push(
      figure(
        500,
        'lp-objective-gap-scarce-500x1000',
        tightLp.status === 'optimal' ? Math.abs(tightLp.objective - tight.plan.totals.objectiveUnits) : -1,
        'units',
        'lower',
        1,
      ),
    )

    // 5,000 cases × 20,000 experts: reported.
    const large = instance(5_000, 20_000, 21, { provinces: 5, cities: 6, districts: 8, orgs: 3_000 })
    const largeTimes = await measure(() => planBatch(large), 3, 1)
    records.push(...timingRecords({ bench: 'match-batch', dialect: 'none', n: 5000 }, 'plan-5000x20000', largeTimes))
    const big = await planBatchDetailed(large)
    records.push(figure(5000, 'violations-5000x20000', checkPlan(large, big.plan).violations.length, 'count', 'lower', 0))
    records.push(
      figure(
        5000,
        'certificate-violations-5000x20000',
        big.certificate ? checkFlowCertificate(big.problem, big.plan, big.certificate).length : -1,
        'count',
        'lower',
        0,
      ),
    )
    records.push(figure(5000, 'filled-share-5000x20000', big.plan.totals.filled / big.plan.totals.slots, 'ratio', 'higher'))
    records.push(figure(5000, 'pairs-5000x20000', big.plan.solver.pairs, 'pairs', 'higher'))

    // The MIP path: crossing rules on half the cases.
    const crossing = instance(100, 1_000, 31, { provinces: 2, cities: 3, districts: 3, orgs: 200 }, 0.5)
    const mipTimes = await measure(() => planBatch(crossing, { modelSolver: solveModelInWorker }), 3, 1)
    records.push(...timingRecords({ bench: 'match-batch', dialect: 'none', n: 100 }, 'plan-mip-100x1000', mipTimes))
    const mipPlan = await planBatch(crossing, { modelSolver: solveModelInWorker })
    records.push(
      figure(100, 'mip-proven-optimal-100x1000', mipPlan.solver.method === 'mip' && mipPlan.solver.optimal ? 1 : 0, 'boolean', 'higher', 1),
    )
    records.push(figure(100, 'violations-mip-100x1000', checkPlan(crossing, mipPlan).violations.length, 'count', 'lower', 0))
  } finally {
    await stopModelWorker()
  }
  return records
}
