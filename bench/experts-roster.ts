/**
 * Expert roster at scale (issue 3, "Performance"): 50,000 experts in a scratch database, then
 * p50/p95 of the roster query (the same listRoster the page calls: page, total, domains and who is
 * away) for the first page, a filtered page, a search, and a deep page reached by keyset cursor.
 * Target: p95 under 50 ms on both dialects. Deterministic data; the database is dropped afterwards.
 *
 * `npm run bench -- experts-roster`, or `tsx bench/experts-roster.ts` on its own.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type Kysely, type Transaction, sql } from 'kysely'
import type { Principal, ResolvedGrant } from '#app/modules/auth/policy.ts'
import { TIERS } from '#app/modules/experts/model.ts'
import { encodeCursor, parseRosterQuery } from '#app/modules/experts/roster.ts'
import { listRoster } from '#app/modules/experts/roster.server.ts'
import { termEndFor } from '#app/modules/experts/rules.ts'
import { expertBodyScope, expertViewScope } from '#app/modules/experts/scope.ts'
import { createDatabase } from '#db/connect.ts'
import { migrateToLatest } from '#db/migrate.ts'
import type { Database, ExpertStatus, ExpertTier } from '#db/schema.ts'
import { DISPUTE_TYPES } from '#db/seed/data/dispute-types.ts'
import { REGIONS } from '#db/seed/data/regions.ts'
import { mulberry32 } from '#db/seed/demo.ts'
import { type ExpertDomainRow, type ExpertRow, buildExpert } from '#db/seed/expert-pool.ts'
import { type Random, personRow, randomChineseName } from '#db/seed/factories.ts'
import { seedReferenceData } from '#db/seed/reference.ts'
import { type BenchOptions, type BenchRecord, type Dialect, measure, runAsScript, timingRecords } from './lib/report.ts'

const BENCH = 'experts-roster'
const N = Number(process.env.BENCH_EXPERTS ?? 50_000)
const TARGET_MS = 50
const TODAY = '2026-11-23'
const SEED = 3_2026

const grant = (role: ResolvedGrant['role'], regionPath: string | null): ResolvedGrant => ({
  role,
  regionPath,
  regionCode: regionPath?.split('/').at(-2) ?? null,
  orgId: null,
})
/** A district bureau (sees its own experts plus the higher tiers above it) and an administrator (everything). */
const HAIDIAN_STAFF: Principal = { userId: 'bench', personId: null, grants: [grant('bureau_staff', '/110000/110108/')] }
const ADMIN: Principal = { userId: 'bench', personId: null, grants: [grant('admin', null)] }

// ---------------------------------------------------------------------------------------------
// Data

const DISTRICTS = REGIONS.filter((r) => r.level === 'district').map((r) => r.code)
const CITIES = ['110000', '310000', '371300']
const PROVINCES = ['110000', '310000', '370000']
const TYPES = DISPUTE_TYPES.map((t) => t.code)
const EMPLOYERS = [
  '律师事务所',
  '人民医院',
  '大学法学院',
  '会计师事务所',
  '建筑设计研究院',
  '社会工作服务中心',
  '心理咨询中心',
  '物业服务有限公司',
]
const STATUSES: [ExpertStatus, number][] = [
  ['active', 0.85],
  ['suspended', 0.07],
  ['retired', 0.06],
  ['removed', 0.02],
]

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!
}

function weighted<T>(random: Random, items: readonly [T, number][]): T {
  let ticket = random()
  for (const [item, weight] of items) {
    ticket -= weight
    if (ticket < 0) return item
  }
  return items.at(-1)![0]
}

function generate(n: number): { people: ReturnType<typeof personRow>[]; experts: ExpertRow[]; domains: ExpertDomainRow[] } {
  const random = mulberry32(SEED)
  const created = '2026-01-01T00:00:00.000Z'
  const people: ReturnType<typeof personRow>[] = []
  const experts: ExpertRow[] = []
  const domains: ExpertDomainRow[] = []
  for (let i = 0; i < n; i++) {
    const tier: ExpertTier = weighted(random, [
      ['district', 0.7],
      ['municipal', 0.2],
      ['provincial', 0.08],
      ['national', 0.02],
    ])
    const region =
      tier === 'district'
        ? pick(random, DISTRICTS)
        : tier === 'municipal'
          ? pick(random, CITIES)
          : tier === 'provincial'
            ? pick(random, PROVINCES)
            : null
    const gender = random() < 0.5 ? 'male' : 'female'
    const name = randomChineseName(random, gender, 1950 + Math.floor(random() * 40))
    const types = [...TYPES].sort(() => random() - 0.5)
    const start = `20${String(21 + Math.floor(random() * 6))}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-01`
    const built = buildExpert(
      {
        tier,
        region_code: region,
        name,
        person: { idNumber: null, phone: null, name, gender, region_code: region ?? '110000', created_at: created },
        status: weighted(random, STATUSES),
        employer: `${pick(random, ['北京', '上海', '临沂', '中国'])}${pick(random, ['某', '第一', '市', '华'])}${pick(random, EMPLOYERS)}`,
        term_start: start,
        term_end: termEndFor(start, 5),
        primary: types.slice(0, 1 + Math.floor(random() * 2)),
        secondary: types.slice(2, 2 + Math.floor(random() * 3)),
        specialty: types.slice(0, Math.floor(random() * 3)),
        created_at: created,
        updated_at: `2026-${String(1 + Math.floor(random() * 10)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}T08:00:00.000Z`,
      },
      random,
    )
    people.push(personRow(built.person!))
    experts.push(built.expert)
    domains.push(...built.domains)
  }
  return { people, experts, domains }
}

async function insertChunked<T extends keyof Database & string>(
  trx: Transaction<Database>,
  table: T,
  rows: readonly object[],
): Promise<void> {
  const first = rows[0]
  if (!first) return
  // Well under both dialects' limits on bound parameters per statement.
  const size = Math.floor(30_000 / Object.keys(first).length)
  const loose = trx as unknown as Kysely<any>
  for (let i = 0; i < rows.length; i += size)
    await loose
      .insertInto(table)
      .values(rows.slice(i, i + size))
      .execute()
}

// ---------------------------------------------------------------------------------------------
// Scratch databases

interface Scratch {
  db: Kysely<Database>
  /** Closes the connections and removes the database (or, with BENCH_KEEP_DB=1, keeps it to inspect). */
  finish: () => Promise<void>
}

const keep = () => process.env.BENCH_KEEP_DB === '1'

async function scratchDatabase(dialect: Dialect, mysqlUrl: string | undefined): Promise<Scratch> {
  const tag = `${process.pid}_${Date.now().toString(36)}`
  if (dialect === 'mysql') {
    if (!mysqlUrl) throw new Error('mysql needs BENCH_MYSQL_URL or TEST_MYSQL_URL')
    const server = new URL(mysqlUrl)
    server.pathname = ''
    const name = `tj_bench_${tag}`
    const admin = createDatabase(server.toString(), { poolSize: 1 })
    await sql`CREATE DATABASE ${sql.id(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`.execute(admin)
    const url = new URL(mysqlUrl)
    url.pathname = `/${name}`
    const db = createDatabase(url.toString(), { poolSize: 4 })
    return {
      db,
      finish: async () => {
        await db.destroy()
        if (keep()) console.log(`[mysql] kept ${name}`)
        else await sql`DROP DATABASE IF EXISTS ${sql.id(name)}`.execute(admin)
        await admin.destroy()
      },
    }
  }
  const file = path.join(os.tmpdir(), `tiaojie-bench-experts-${tag}.sqlite`)
  const db = createDatabase(`file:${file}`)
  return {
    db,
    finish: async () => {
      await db.destroy()
      if (keep()) console.log(`[sqlite] kept ${file}`)
      else for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true })
    },
  }
}

// ---------------------------------------------------------------------------------------------
// The bench

async function benchDialect(dialect: Dialect, mysqlUrl: string | undefined, data: ReturnType<typeof generate>): Promise<BenchRecord[]> {
  const scratch = await scratchDatabase(dialect, mysqlUrl)
  try {
    const { db } = scratch
    await migrateToLatest(db)
    await seedReferenceData(db)
    const loadStart = performance.now()
    await db.transaction().execute(async (trx) => {
      await insertChunked(trx, 'people', data.people)
      await insertChunked(trx, 'experts', data.experts)
      await insertChunked(trx, 'expert_domains', data.domains)
    })
    if (dialect === 'mysql') await sql`ANALYZE TABLE experts, expert_domains, regions`.execute(db)
    else await sql`ANALYZE`.execute(db)
    console.log(`[${dialect}] ${N} experts loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`)

    const run = (principal: Principal, search: string) => () =>
      listRoster(db, {
        view: expertViewScope(principal),
        body: expertBodyScope(principal, 'expert:edit'),
        query: parseRosterQuery(new URL(`http://bench/experts${search}`)),
        today: TODAY,
        windowDays: 60,
      })

    // The deep page: the row 80 % of the way down the whole pool by name, reached by cursor.
    const deepRow = await db
      .selectFrom('experts')
      .select(['name', 'person_id'])
      .orderBy('name')
      .orderBy('person_id')
      .limit(1)
      .offset(Math.floor(N * 0.8))
      .executeTakeFirstOrThrow()
    const deepCursor = encodeCursor('name', 'asc', deepRow.name, deepRow.person_id)

    const scenarios: [string, () => Promise<unknown>][] = [
      ['first-page', run(HAIDIAN_STAFF, '')],
      ['first-page-all', run(ADMIN, '')],
      ['filtered-page', run(HAIDIAN_STAFF, `?domain=${encodeURIComponent('医疗')}&status=active&tier=${TIERS[2]}&sort=term_end`)],
      ['search-page', run(ADMIN, `?q=${encodeURIComponent('王')}`)],
      ['deep-page', run(ADMIN, `?after=${deepCursor}`)],
    ]
    const records: BenchRecord[] = []
    for (const [metric, fn] of scenarios) {
      const page = (await fn()) as { rows: unknown[]; total: number }
      if (!page.rows.length) throw new Error(`${metric}: the page is empty; the bench data does not exercise it`)
      const times = await measure(fn, 30, 5)
      records.push(
        ...timingRecords({ bench: BENCH, dialect, n: N }, metric, times).map((r) =>
          r.metric.endsWith('-p95') ? { ...r, target: TARGET_MS } : r,
        ),
      )
    }
    return records
  } finally {
    await scratch.finish()
  }
}

export default async function run(options: BenchOptions): Promise<BenchRecord[]> {
  const data = generate(N)
  const records: BenchRecord[] = []
  for (const dialect of options.dialects) {
    if (dialect === 'none') continue
    records.push(...(await benchDialect(dialect, options.mysqlUrl, data)))
  }
  return records
}

// Run on its own: `tsx bench/experts-roster.ts`.
await runAsScript(import.meta.url, run)
