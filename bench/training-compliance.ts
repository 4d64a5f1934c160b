import { type Kysely, sql } from 'kysely'
import { complianceSummary, orgCompliance } from '#app/modules/training/compliance.server.ts'
import type { ListScope } from '#app/modules/auth/policy.ts'
import { migrateToLatest } from '#db/migrate.ts'
import type { Database } from '#db/schema.ts'
import { REGIONS } from '#db/seed/data/regions.ts'
import { mulberry32 } from '#db/seed/demo.ts'
import { seedReferenceData } from '#db/seed/reference.ts'
import { type BenchRecord, type Dialect, measure, runAsScript, runPerDialect, timingRecords } from './lib/report.ts'
import { scratchDatabase } from './lib/scratch-db.ts'

const BENCH = 'training-compliance'
const N = Number(process.env.BENCH_MEDIATORS ?? 50_000)
const PER_ORG = 50
const RECORDS_PER_MEDIATOR = 10
const YEAR = 2026
const TODAY = '2026-11-23'
const TARGET_MS = 1000

const DISTRICTS = REGIONS.filter((r) => r.level === 'district')
const pad = (n: number, w: number) => String(n).padStart(w, '0')
/** Ids in the 26-character shape, deterministic. */
const id = (prefix: string, n: number) => `${prefix}${pad(n, 26 - prefix.length)}`

async function insertChunked(db: Kysely<Database>, table: keyof Database & string, rows: readonly object[]): Promise<void> {
  const first = rows[0]
  if (!first) return
  const size = Math.floor(30_000 / Object.keys(first).length)
  const loose = db as unknown as Kysely<any>
  for (let i = 0; i < rows.length; i += size)
    await loose
      .insertInto(table)
      .values(rows.slice(i, i + size))
      .execute()
}

async function load(db: Kysely<Database>): Promise<{ orgId: string; districtPath: string }> {
  const random = mulberry32(5_2026)
  const now = '2026-01-01T00:00:00.000Z'
  const orgCount = Math.ceil(N / PER_ORG)
  const orgs = Array.from({ length: orgCount }, (_, i) => {
    const district = DISTRICTS[i % DISTRICTS.length]!
    return {
      id: id('BO', i),
      name: `基准调委会${i}`,
      kind: i % 10 === 0 ? 'committee_sector' : 'committee_village',
      sector_code: null,
      region_code: district.code,
      parent_id: null,
      address: null,
      contact_phone: null,
      status: 'active',
      version: 1,
      created_at: now,
      updated_at: now,
    }
  })
  await insertChunked(db, 'organisations', orgs)
  const people: object[] = []
  const mediators: object[] = []
  const records: object[] = []
  for (let i = 0; i < N; i++) {
    const org = orgs[Math.floor(i / PER_ORG)]!
    const personId = id('BP', i)
    people.push({
      id: personId,
      name: `调解员${i}`,
      gender: null,
      birth_date: null,
      id_number_enc: null,
      id_number_hash: null,
      id_number_masked: null,
      phone_enc: null,
      phone_hash: null,
      phone_masked: null,
      region_code: org.region_code,
      org_id: org.id,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    mediators.push({
      person_id: personId,
      org_id: org.id,
      employment: random() < 0.3 ? 'full_time' : 'part_time',
      card_number: null,
      started_on: `20${pad(15 + Math.floor(random() * 12), 2)}-${pad(1 + Math.floor(random() * 12), 2)}-01`,
      status: 'active',
      version: 1,
      created_at: now,
      updated_at: now,
    })
    for (let r = 0; r < RECORDS_PER_MEDIATOR; r++) {
      const year = 2024 + (r % 3)
      records.push({
        id: id(`BR${pad(r, 2)}`, i),
        person_id: personId,
        source: 'offline',
        completion_key: `bench:${i}:${r}`,
        course_slug: null,
        session_id: null,
        title: '基准培训',
        kind: r === 0 && random() < 0.85 ? 'pre_service' : 'annual',
        format: 'classroom',
        organiser: null,
        hours_tenths: 10 * (1 + Math.floor(random() * 8)),
        year,
        completed_on: `${year}-06-01`,
        assessment: null,
        status: random() < 0.95 ? 'approved' : 'pending',
        created_at: now,
        created_by: null,
      })
    }
  }
  await insertChunked(db, 'people', people)
  await insertChunked(db, 'mediators', mediators)
  await insertChunked(db, 'training_records', records)
  const plans = DISTRICTS.map((d, i) => ({
    id: id('BL', i),
    year: YEAR,
    scope_key: `region:${d.code}`,
    region_code: d.code,
    org_id: null,
    full_time_tenths: 400,
    part_time_tenths: 200,
    sector_tenths: 300,
    pre_service_months: 3,
    version: 1,
    created_by: null,
    created_at: now,
    updated_at: now,
  }))
  await insertChunked(db, 'training_plans', plans)
  const district = await db.selectFrom('regions').select('path').where('code', '=', DISTRICTS[0]!.code).executeTakeFirstOrThrow()
  return { orgId: orgs[0]!.id, districtPath: district.path }
}

async function benchDialect(dialect: Dialect, mysqlUrl: string | undefined): Promise<BenchRecord[]> {
  const { db, finish } = await scratchDatabase(dialect, mysqlUrl, 'training')
  try {
    await migrateToLatest(db)
    await seedReferenceData(db)
    const started = performance.now()
    const { orgId, districtPath } = await load(db)
    if (dialect === 'mysql') await sql`ANALYZE TABLE training_records, mediators, organisations, people`.execute(db)
    else await sql`ANALYZE`.execute(db)
    console.log(
      `[${dialect}] ${N} mediators, ${N * RECORDS_PER_MEDIATOR} records loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    )
    const district: ListScope = { everything: false, regionPaths: [districtPath], orgIds: [], personIds: [] }
    const everything: ListScope = { everything: true, regionPaths: [], orgIds: [], personIds: [] }
    const base = { bench: BENCH, dialect, n: N, target: TARGET_MS }
    return [
      ...timingRecords(base, 'org-report', await measure(() => orgCompliance(db, orgId, YEAR, TODAY), 30, 3)),
      ...timingRecords(base, 'district-summary', await measure(() => complianceSummary(db, district, YEAR, TODAY), 10, 2)),
      ...timingRecords(base, 'all-summary', await measure(() => complianceSummary(db, everything, YEAR, TODAY), 5, 1)),
    ]
  } finally {
    await finish()
  }
}

const run = runPerDialect(BENCH, benchDialect)
export default run

// Run on its own: `tsx bench/training-compliance.ts`.
await runAsScript(import.meta.url, run)
