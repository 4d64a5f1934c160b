import { type Kysely, sql } from 'kysely'
import type { ListScope } from '#app/modules/auth/policy.ts'
import { planCases, waitingCases } from '#app/modules/cases/batch.server.ts'
import { expertNames } from '#app/modules/cases/detail.server.ts'
import {
  activeMatchConfig,
  clearExpertPoolCache,
  expertPool,
  loadMatchCases,
  loadMatchExperts,
} from '#app/modules/cases/matching.server.ts'
import { checkPlan } from '#app/modules/matching/verify.ts'
import { stopModelWorker } from '#app/modules/matching/highs-worker.server.ts'
import { migrateToLatest } from '#db/migrate.ts'
import type { Database } from '#db/schema.ts'
import { insertRows } from '#db/seed/bulk.ts'
import { DISPUTE_TYPES } from '#db/seed/data/dispute-types.ts'
import { REGIONS } from '#db/seed/data/regions.ts'
import { mulberry32 } from '#db/seed/demo.ts'
import { buildExpert } from '#db/seed/expert-pool.ts'
import { personRow } from '#db/seed/factories.ts'
import { seedReferenceData } from '#db/seed/reference.ts'
import { type BenchOptions, type BenchRecord, type Dialect, measure, runAsScript, timingRecords } from './lib/report.ts'
import { scratchDatabase } from './lib/scratch-db.ts'

const BENCH = 'match-batch-db'
const CASES = Number(process.env.BENCH_BATCH_CASES ?? 500)
const EXPERTS = Number(process.env.BENCH_BATCH_EXPERTS ?? 5_000)
const TARGET_MS = 2_000
const TODAY = '2026-11-23'
const ORG_ID = '01BENCHBATCHORG00000000000'
const EVERYTHING: ListScope = { everything: true, regionPaths: [], orgIds: [], personIds: [] }

/** 5,000 experts (capacities 0-3, some away or conflicted, some with a load) and 500 open cases. */
async function fill(db: Kysely<Database>): Promise<void> {
  await seedReferenceData(db)
  const random = mulberry32(5_2026)
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!
  const districts = REGIONS.filter((r) => r.level === 'district').map((r) => r.code)
  const types = DISPUTE_TYPES.map((t) => t.code)
  const now = '2026-11-20T00:00:00.000Z'
  const expertIds: string[] = []
  for (let start = 0; start < EXPERTS; start += 1_000) {
    const built = Array.from({ length: Math.min(1_000, EXPERTS - start) }, () => {
      const draw = random()
      const tier = draw < 0.03 ? 'national' : draw < 0.12 ? 'provincial' : draw < 0.35 ? 'municipal' : 'district'
      const district = pick(districts)
      const primary = pick(types)
      return buildExpert(
        {
          tier,
          region_code: tier === 'national' ? null : tier === 'district' ? district : `${district.slice(0, 2)}0000`,
          person: { region_code: district },
          primary: [primary],
          secondary: random() < 0.6 ? [pick(types)].filter((t) => t !== primary) : [],
          professions: JSON.stringify([random() < 0.15 ? 'medicine' : 'law']),
          max_concurrent_cases: Math.floor(random() * 4),
          created_at: now,
        },
        random,
      )
    })
    expertIds.push(...built.map((b) => b.expert.person_id))
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
      await insertRows(
        trx,
        'expert_unavailability',
        built
          .filter(() => random() < 0.1)
          .map((b, i) => ({
            id: `01BENCHUNAV${String(start + i).padStart(15, '0')}`,
            expert_id: b.expert.person_id,
            start_date: '2026-12-01',
            end_date: '2026-12-10',
            reason: null,
            entered_by: 'expert' as const,
            created_by: null,
            created_at: now,
          })),
      )
      await insertRows(
        trx,
        'expert_conflicts',
        built
          .filter(() => random() < 0.05)
          .map((b, i) => ({
            id: `01BENCHCONF${String(start + i).padStart(15, '0')}`,
            expert_id: b.expert.person_id,
            kind: 'organisation' as const,
            name: `某公司${Math.floor(random() * 50)}`,
            org_id: null,
            id_number_hash: null,
            id_number_masked: null,
            note: null,
            start_date: null,
            end_date: null,
            declared_by: 'expert' as const,
            created_by: null,
            created_at: now,
          })),
      )
      await insertRows(
        trx,
        'expert_loads',
        built
          .filter(() => random() < 0.3)
          .map((b) => ({
            expert_id: b.expert.person_id,
            active_count: 0,
            completed_count: Math.floor(random() * 5),
            rating_count: Math.floor(random() * 4),
            rating_sum: 0,
            hours_tenths: 0,
            last_assigned_on: '2026-06-01',
            updated_at: now,
          }))
          .map((l) => ({ ...l, rating_sum: l.rating_count * (3 + Math.floor(random() * 3)) })),
      )
    })
  }
  await db
    .insertInto('organisations')
    .values({
      id: ORG_ID,
      name: '海淀区测试人民调解委员会',
      kind: 'committee_township',
      sector_code: null,
      region_code: '110108',
      parent_id: null,
      address: null,
      contact_phone: null,
      status: 'active',
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute()
  const cases = Array.from({ length: CASES }, (_, i) => {
    const type = pick(types)
    const rule = random()
    const requirements =
      rule < 0.15
        ? [{ kind: 'profession', profession: 'medicine', atLeast: 1 }]
        : rule < 0.3
          ? [{ kind: 'minTier', tier: 'municipal', atLeast: 1 }]
          : []
    return {
      id: `01BENCHCASE${String(i).padStart(15, '0')}`,
      case_number: `（2026）测调字第${i + 1}号`,
      org_id: ORG_ID,
      case_year: 2026,
      case_seq: i + 1,
      title: `${type}纠纷 ${i + 1}`,
      summary: `${type}纠纷，需要专家咨询。`,
      dispute_type_code: type,
      domains: JSON.stringify(random() < 0.3 ? [pick(types)].filter((t) => t !== type) : []),
      region_code: pick(districts),
      source: 'party' as const,
      difficulty: random() < 0.7 ? ('complex' as const) : ('major' as const),
      amount_fen: null,
      party_count: 2,
      experts_needed: 1 + Math.floor(random() * 3),
      experts_assigned: 0,
      requirements: JSON.stringify(requirements),
      requires_outside_region: (random() < 0.1 ? 1 : 0) as 0 | 1,
      consultation_mode: 'written' as const,
      period_start: TODAY,
      period_end: '2026-12-23',
      deadline: '2026-12-20',
      status: 'registered' as const,
      registered_at: `2026-11-${String(1 + (i % 20)).padStart(2, '0')}T08:00:00.000Z`,
      accepted_at: null,
      mediation_started_at: null,
      concluded_at: null,
      closed_at: null,
      archived_at: null,
      outcome_note: null,
      version: 1,
      created_by: null,
      created_at: now,
      updated_at: now,
    }
  })
  await db.transaction().execute(async (trx) => {
    await insertRows(trx, 'cases', cases)
    await insertRows(
      trx,
      'case_parties',
      cases.flatMap((c, i) => [
        {
          id: `01BENCHPTYA${String(i).padStart(15, '0')}`,
          case_id: c.id,
          kind: 'person' as const,
          name: '张某',
          org_id: null,
          id_number_enc: null,
          id_number_hash: null,
          id_number_masked: null,
          sort: 0,
        },
        {
          id: `01BENCHPTYB${String(i).padStart(15, '0')}`,
          case_id: c.id,
          kind: 'organisation' as const,
          name: `某公司${i % 50}`,
          org_id: null,
          id_number_enc: null,
          id_number_hash: null,
          id_number_masked: null,
          sort: 1,
        },
      ]),
    )
  })
  void expertIds
}

/** The batch page's plan action without the HTTP around it. */
async function pagePlan(db: Kysely<Database>) {
  const inScope = await waitingCases(db, EVERYTHING, 5_000)
  const caseIds = inScope.slice(0, CASES).map((c) => c.id)
  const plan = await planCases(db, caseIds, TODAY)
  await expertNames(
    db,
    plan.experts.map((e) => e.expertId),
  )
  return { caseIds, plan }
}

async function benchDialect(dialect: Dialect, mysqlUrl: string | undefined): Promise<BenchRecord[]> {
  const { db, finish } = await scratchDatabase(dialect, mysqlUrl, 'batch')
  try {
    await migrateToLatest(db)
    const started = performance.now()
    await fill(db)
    if (dialect === 'mysql') await sql`ANALYZE TABLE cases, case_parties, experts, expert_domains, people`.execute(db)
    console.log(`[${dialect}] ${CASES} cases, ${EXPERTS} experts loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    const base = { bench: BENCH, dialect, n: CASES }
    const caseIds = (await waitingCases(db, EVERYTHING, 5_000)).map((c) => c.id)
    const cold = await measure(
      async () => {
        clearExpertPoolCache()
        await pagePlan(db)
      },
      8,
      1,
    )
    const warm = await measure(() => pagePlan(db), 8, 1)
    const loadCases = await measure(() => loadMatchCases(db, caseIds), 20, 2)
    const loadExperts = await measure(() => loadMatchExperts(db, TODAY), 10, 1)
    // The plan checked against the very input it was made from (the same loads as planCases).
    clearExpertPoolCache()
    const { plan } = await pagePlan(db)
    const [cases, pool, { config }] = await Promise.all([loadMatchCases(db, caseIds), expertPool(db, TODAY), activeMatchConfig(db)])
    const violations = checkPlan({ cases, experts: pool.experts, config, asOf: TODAY }, plan).violations.length
    const at = new Date().toISOString()
    return [
      ...timingRecords({ ...base, target: TARGET_MS }, `page-plan-cold-${CASES}x${EXPERTS}`, cold),
      ...timingRecords({ ...base, target: TARGET_MS }, `page-plan-warm-${CASES}x${EXPERTS}`, warm),
      ...timingRecords(base, `load-cases-${CASES}`, loadCases),
      ...timingRecords({ ...base, n: EXPERTS }, `load-experts-${EXPERTS}`, loadExperts),
      { ...base, metric: `violations-${CASES}x${EXPERTS}`, value: violations, unit: 'count', target: 0, better: 'lower', runs: 1, at },
      {
        ...base,
        metric: `filled-share-${CASES}x${EXPERTS}`,
        value: Math.round((plan.totals.filled / Math.max(1, plan.totals.slots)) * 1000) / 1000,
        unit: 'ratio',
        better: 'higher',
        runs: 1,
        at,
      },
    ]
  } finally {
    clearExpertPoolCache()
    await finish()
  }
}

export default async function run(options: BenchOptions): Promise<BenchRecord[]> {
  const records: BenchRecord[] = []
  try {
    for (const dialect of options.dialects) {
      if (dialect === 'none') continue
      records.push(...(await benchDialect(dialect, options.mysqlUrl)))
    }
  } finally {
    await stopModelWorker()
  }
  return records
}

// Run on its own: `tsx bench/match-batch-db.ts`.
await runAsScript(import.meta.url, run)
