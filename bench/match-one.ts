/**
 * match-one: recommendations for one case against 50,000 generated experts (issue 4: p95 under
 * 50 ms including the database). The pure part runs in memory (dialect 'none'); the database part
 * (dialect 'sqlite', `recommend-db`) runs the server's path, app/modules/cases/matching.server.ts
 * recommendForCase: version stamp of the expert tables, the case from the database, the cached
 * ExpertPool, recommend, and the stored recommendation row, against 50,000 experts in a scratch
 * SQLite file.
 *
 * - recommend: with an ExpertPool kept between requests (how the server should hold the pool);
 * - recommend-cold: from a plain array (one linear pass narrows the pool; no index kept);
 * - recommend-diversified: with "at most 1 per organisation among the first k";
 * - pool-build: building the index once.
 */
import { generateCases, generateExperts, makeOrganisations, makeRegions, prng } from '#app/modules/matching/generate.ts'
import { ExpertPool } from '#app/modules/matching/pool.ts'
import { recommend } from '#app/modules/matching/recommend.ts'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createCase } from '#app/modules/cases/cases.server.ts'
import { clearExpertPoolCache, recommendForCase } from '#app/modules/cases/matching.server.ts'
import { createDatabase } from '#db/connect.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { insertRows } from '#db/seed/bulk.ts'
import { DISPUTE_TYPES } from '#db/seed/data/dispute-types.ts'
import { REGIONS } from '#db/seed/data/regions.ts'
import { mulberry32 } from '#db/seed/demo.ts'
import { buildExpert } from '#db/seed/expert-pool.ts'
import { personRow } from '#db/seed/factories.ts'
import { seedReferenceData } from '#db/seed/reference.ts'
import { type BenchOptions, type BenchRecord, measure, percentile, timingRecords } from './lib/report.ts'

const EXPERTS = 50_000
const TARGET_MS = 50

export default async function run(options: BenchOptions): Promise<BenchRecord[]> {
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
  const db = options.dialects.includes('sqlite') ? await benchDatabase() : []
  return [
    ...db,
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

/** recommendForCase on a scratch SQLite database holding EXPERTS experts (the server's path). */
async function benchDatabase(): Promise<BenchRecord[]> {
  const file = path.join(os.tmpdir(), `tiaojie-bench-match-${process.pid}.sqlite`)
  const db = createDatabase(`file:${file}`)
  try {
    await migrateToLatest(db)
    await seedReferenceData(db)
    const random = mulberry32(4_2026)
    const districts = REGIONS.filter((r) => r.level === 'district').map((r) => r.code)
    const types = DISPUTE_TYPES.map((t) => t.code)
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!
    for (let start = 0; start < EXPERTS; start += 2_000) {
      const built = Array.from({ length: Math.min(2_000, EXPERTS - start) }, () => {
        const tierDraw = random()
        const tier = tierDraw < 0.02 ? 'national' : tierDraw < 0.1 ? 'provincial' : tierDraw < 0.3 ? 'municipal' : 'district'
        const district = pick(districts)
        const region = tier === 'national' ? null : tier === 'district' ? district : `${district.slice(0, 2)}0000`
        const primary = pick(types)
        return buildExpert(
          {
            tier,
            region_code: region,
            person: { region_code: district },
            primary: [primary],
            secondary: random() < 0.5 ? [pick(types)].filter((t) => t !== primary) : [],
            max_concurrent_cases: 1 + Math.floor(random() * 4),
          },
          random,
        )
      })
      await db.transaction().execute(async (trx) => {
        await insertRows(
          trx,
          'people',
          built.map((b) => personRow(b.person!)),
        )
        await insertRows(
          trx,
          'experts',
          built.map((b) => b.expert),
        )
        await insertRows(
          trx,
          'expert_domains',
          built.flatMap((b) => b.domains),
        )
      })
    }
    const org = await db
      .insertInto('organisations')
      .values({
        id: '01BENCHORG0000000000000000',
        name: '海淀区测试人民调解委员会',
        kind: 'committee_township',
        sector_code: null,
        region_code: '110108',
        parent_id: null,
        address: null,
        contact_phone: null,
        status: 'active',
        version: 1,
        created_at: '2026-11-23T00:00:00.000Z',
        updated_at: '2026-11-23T00:00:00.000Z',
      })
      .execute()
    void org
    const caseIds: string[] = []
    for (const type of types.slice(0, 10)) {
      const { id } = await createCase(
        db,
        {
          title: type,
          summary: type,
          disputeType: type,
          domains: [],
          regionCode: '110108',
          orgId: '01BENCHORG0000000000000000',
          source: 'party',
          difficulty: 'complex',
          amountYuan: undefined,
          partyCount: 2,
          parties: [{ kind: 'organisation', name: '某公司' }],
          expertsNeeded: 2,
          requiredProfession: undefined,
          minTier: undefined,
          requiresOutsideRegion: false,
          consultationMode: 'written',
          periodStart: '2026-11-23',
          periodEnd: '2026-12-23',
          deadline: '2026-12-20',
        },
        null,
      )
      caseIds.push(id)
    }
    clearExpertPoolCache()
    let i = 0
    const cold = await measure(
      async () => {
        clearExpertPoolCache()
        await recommendForCase(db, caseIds[i++ % caseIds.length]!, '2026-11-23', null)
      },
      5,
      1,
    )
    const warm = await measure(async () => recommendForCase(db, caseIds[i++ % caseIds.length]!, '2026-11-23', null), 200, 20)
    const base = { bench: 'match-one', dialect: 'sqlite' as const, n: EXPERTS }
    return [
      ...timingRecords({ ...base, target: TARGET_MS }, 'recommend-db', warm),
      ...timingRecords(base, 'recommend-db-pool-reload', cold),
    ]
  } finally {
    await db.destroy()
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true })
  }
}
