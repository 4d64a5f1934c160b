/**
 * match-one: recommendations for one case against 50,000 generated experts (issue 4: p95 under
 * 50 ms including the database). This measures the pure part, in memory (dialect 'none'); the
 * database part is added when the module is wired to case intake.
 *
 * - recommend: with an ExpertPool kept between requests (how the server should hold the pool);
 * - recommend-cold: from a plain array (one linear pass narrows the pool; no index kept);
 * - recommend-diversified: with "at most 1 per organisation among the first k";
 * - pool-build: building the index once.
 */
import { generateCases, generateExperts, makeOrganisations, makeRegions, prng } from '#app/modules/matching/generate.ts'
import { ExpertPool } from '#app/modules/matching/pool.ts'
import { recommend } from '#app/modules/matching/recommend.ts'
import { type BenchOptions, type BenchRecord, measure, percentile, timingRecords } from './lib/report.ts'

const EXPERTS = 50_000
const TARGET_MS = 50

export default async function run(_options: BenchOptions): Promise<BenchRecord[]> {
  const asOf = '2026-11-23'
  // 4 provinces × 6 cities × 8 districts; ~260 experts per district on average.
  const regions = makeRegions(4, 6, 8)
  const organisations = makeOrganisations(2_000)
  const experts = generateExperts(prng(1), EXPERTS, { asOf, regions, organisations })
  const cases = generateCases(prng(2), 200, { asOf, regions, organisations, ruleRate: 0.3, expertIds: experts.map((e) => e.id) })
  const pool = new ExpertPool(experts)

  let i = 0
  const eligible: number[] = []
  const next = () => cases[i++ % cases.length]!
  const warm = await measure(
    async () => {
      const r = recommend(next(), pool)
      if (eligible.length < cases.length) eligible.push(r.eligibleCount)
    },
    300,
    30,
  )
  const diversified = await measure(async () => recommend(next(), pool, { diversify: { maxPerOrganisation: 1 } }), 100, 10)
  const cold = await measure(async () => recommend(next(), experts), 40, 4)
  const build = await measure(async () => new ExpertPool(experts), 20, 2)

  const base = { bench: 'match-one', dialect: 'none' as const, n: EXPERTS }
  eligible.sort((a, b) => a - b)
  return [
    ...timingRecords({ ...base, target: TARGET_MS }, 'recommend', warm),
    ...timingRecords({ ...base, target: TARGET_MS }, 'recommend-diversified', diversified),
    ...timingRecords({ ...base, target: TARGET_MS }, 'recommend-cold', cold),
    ...timingRecords(base, 'pool-build', build),
    {
      ...base,
      metric: 'eligible-per-case-median',
      value: percentile(eligible, 50),
      unit: 'experts',
      better: 'higher',
      runs: eligible.length,
      at: new Date().toISOString(),
    },
  ]
}
