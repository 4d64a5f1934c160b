import { type Kysely, sql } from 'kysely'
import type { AuthUser } from '#app/modules/auth/authz.server.ts'
import { STATS_AREAS, type StatsFilters } from '#app/modules/stats/model.ts'
import { buildStatsReport, withCharts } from '#app/modules/stats/report.server.ts'
import { createDatabase } from '#db/connect.ts'
import { migrateToLatest } from '#db/migrate.ts'
import type { Database } from '#db/schema.ts'
import { DISPUTE_TYPES } from '#db/seed/data/dispute-types.ts'
import { REGIONS } from '#db/seed/data/regions.ts'
import { mulberry32 } from '#db/seed/demo.ts'
import { seedReferenceData } from '#db/seed/reference.ts'
import { type BenchRecord, type Dialect, measure, runAsScript, runPerDialect, timingRecords } from './lib/report.ts'
import { runFiguresJob } from './lib/figures.ts'
import { scratchDatabase } from './lib/scratch-db.ts'

const BENCH = 'stats-pages'
const N = Number(process.env.BENCH_MEDIATORS ?? 50_000)
const SCALE = N / 50_000
const PER_ORG = 50
const RECORDS_PER_MEDIATOR = 10
const EXPERTS = Math.round(5_000 * SCALE)
const CASES = Math.round(20_000 * SCALE)
const CONSULTATIONS_PER_CASE = 2.5
const ATTEMPTS = Math.round(50_000 * SCALE)
const SUBMISSIONS = Math.round(2_000 * SCALE)
const TARGET_MS = 300
const TODAY = '2026-11-23'
const FILTERS: StatsFilters = { from: '2026-01-01', to: TODAY, region: null, drill: null }

const DISTRICTS = REGIONS.filter((r) => r.level === 'district')
const TYPES = DISPUTE_TYPES.map((t) => t.code)
const pad = (n: number, w: number) => String(n).padStart(w, '0')
/** Ids in the 26-character shape, deterministic. */
const id = (prefix: string, n: number) => `${prefix}${pad(n, 26 - prefix.length)}`
const NOW = '2026-01-01T00:00:00.000Z'

async function insertChunked(db: Kysely<Database>, table: keyof Database & string, rows: readonly object[]): Promise<void> {
  const first = rows[0]
  if (!first) return
  const size = Math.floor(20_000 / Object.keys(first).length)
  const loose = db as unknown as Kysely<any>
  for (let i = 0; i < rows.length; i += size)
    await loose
      .insertInto(table)
      .values(rows.slice(i, i + size))
      .execute()
}

/** A day in 2025-01-01 … 2026-11-22 as an instant, from a random draw. */
function instant(random: () => number, from = Date.parse('2025-01-01T00:00:00Z'), to = Date.parse('2026-11-22T00:00:00Z')): string {
  return new Date(from + Math.floor(random() * (to - from))).toISOString()
}
const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString()

async function load(db: Kysely<Database>): Promise<void> {
  const random = mulberry32(9_2026)
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!
  const orgCount = Math.ceil(N / PER_ORG)
  const orgs = Array.from({ length: orgCount }, (_, i) => ({
    id: id('SO', i),
    name: `统计基准调委会${i}`,
    kind: i % 10 === 0 ? 'committee_sector' : 'committee_village',
    sector_code: null,
    region_code: DISTRICTS[i % DISTRICTS.length]!.code,
    parent_id: null,
    address: null,
    contact_phone: null,
    status: 'active',
    version: 1,
    created_at: NOW,
    updated_at: NOW,
  }))
  await insertChunked(db, 'organisations', orgs)
  // Accounts the attempts, submissions, reviews and bookmarks belong to.
  await insertChunked(
    db,
    'users',
    [0, 1, 2].map((u) => ({
      id: id('SU', u),
      username: `stats.bench.${u}`,
      display_name: 'bench',
      password_hash: null,
      person_id: null,
      status: 'active',
      last_sign_in_at: null,
      password_changed_at: null,
      version: 1,
      created_at: NOW,
      updated_at: NOW,
    })),
  )
  const USER = id('SU', 0)

  const person = (personId: string, regionCode: string, orgId: string | null, name: string) => ({
    id: personId,
    name,
    gender: null,
    birth_date: null,
    id_number_enc: null,
    id_number_hash: null,
    id_number_masked: '110108********0011',
    phone_enc: null,
    phone_hash: null,
    phone_masked: null,
    region_code: regionCode,
    org_id: orgId,
    version: 1,
    created_at: NOW,
    updated_at: NOW,
  })
  let people: object[] = []
  let mediators: object[] = []
  let records: object[] = []
  let grades: object[] = []
  let progress: object[] = []
  for (let i = 0; i < N; i++) {
    const org = orgs[Math.floor(i / PER_ORG)]!
    const personId = id('SP', i)
    people.push(person(personId, org.region_code, org.id, `调解员${i}`))
    mediators.push({
      person_id: personId,
      org_id: org.id,
      employment: random() < 0.3 ? 'full_time' : 'part_time',
      card_number: null,
      started_on: `20${pad(15 + Math.floor(random() * 11), 2)}-${pad(1 + Math.floor(random() * 12), 2)}-01`,
      status: random() < 0.95 ? 'active' : 'inactive',
      version: 1,
      created_at: NOW,
      updated_at: NOW,
    })
    for (let r = 0; r < RECORDS_PER_MEDIATOR; r++) {
      const year = 2024 + (r % 3)
      const online = r === 9 && random() < 0.5
      records.push({
        id: id(`SR${r}`, i),
        person_id: personId,
        source: online ? 'online' : 'offline',
        completion_key: `stats-bench:${i}:${r}`,
        course_slug: online ? `course-${r % 4}` : null,
        session_id: null,
        title: online ? '在线课程' : '基准培训',
        kind: r === 0 && random() < 0.85 ? 'pre_service' : 'annual',
        format: 'classroom',
        organiser: null,
        hours_tenths: 10 * (1 + Math.floor(random() * 8)),
        year,
        completed_on: `${year}-${pad(1 + Math.floor(random() * 11), 2)}-15`,
        assessment: null,
        status: random() < 0.95 ? 'approved' : 'pending',
        created_at: NOW,
        created_by: null,
      })
    }
    // The Beijing pyramid: 四级 61 %, 三级 4 %, 二级 2 %, 一级 0.3 %, ungraded the rest.
    const g = random()
    const rank = g < 0.003 ? 1 : g < 0.023 ? 2 : g < 0.063 ? 3 : g < 0.673 ? 4 : 0
    if (rank)
      grades.push({
        id: id('SG', i),
        person_id: personId,
        association_org_id: orgs[0]!.id,
        grade_code: `g${rank}`,
        grade_name: ['一级', '二级', '三级', '四级'][rank - 1],
        grade_rank: rank,
        status: 'current',
        valid_from: '2025-01-01',
        valid_until: '2027-12-31',
        source: 'import',
        round_id: null,
        application_id: null,
        change_reason: null,
        notice_start_on: null,
        notice_end_on: null,
        changed_by: null,
        changed_at: null,
        version: 1,
        created_at: NOW,
      })
    if (random() < 0.5)
      progress.push({
        id: id('ST', i),
        person_id: personId,
        course_slug: `course-${i % 4}`,
        module_slug: 'm1',
        started_at: instant(random),
        last_seen_at: NOW,
        completed_at: random() < 0.6 ? NOW : null,
        content_hash: null,
        check_attempts: 0,
        check_score: null,
      })
    // Flush as we go, so the generator's memory stays flat.
    if (records.length >= 50_000 || i === N - 1) {
      await insertChunked(db, 'people', people)
      await insertChunked(db, 'mediators', mediators)
      await insertChunked(db, 'training_records', records)
      await insertChunked(db, 'mediator_grades', grades)
      await insertChunked(db, 'training_progress', progress)
      people = []
      mediators = []
      records = []
      grades = []
      progress = []
    }
  }
  await insertChunked(
    db,
    'training_plans',
    DISTRICTS.map((d, i) => ({
      id: id('SL', i),
      year: 2026,
      scope_key: `region:${d.code}`,
      region_code: d.code,
      org_id: null,
      full_time_tenths: 400,
      part_time_tenths: 200,
      sector_tenths: 300,
      pre_service_months: 3,
      version: 1,
      created_by: null,
      created_at: NOW,
      updated_at: NOW,
    })),
  )

  // Experts.
  const expertPeople: object[] = []
  const experts: object[] = []
  const domains: object[] = []
  const loads: object[] = []
  for (let i = 0; i < EXPERTS; i++) {
    const personId = id('SE', i)
    const district = random() < 0.8 ? pick(DISTRICTS).code : '110000'
    expertPeople.push(person(personId, district, null, `专家${i}`))
    experts.push({
      person_id: personId,
      name: `专家${i}`,
      tier: district === '110000' ? 'municipal' : 'district',
      region_code: district,
      appointing_org_id: null,
      employer: '基准律师事务所',
      employer_org_id: null,
      title: null,
      professions: '["law"]',
      languages: '["普通话"]',
      bio: null,
      photo_file: null,
      photo_type: null,
      term_start: '2024-01-01',
      term_end: '2028-12-31',
      status: random() < 0.9 ? 'active' : 'suspended',
      max_concurrent_cases: 3,
      contact_preference: 'phone',
      contact_note: null,
      version: 1,
      created_at: NOW,
      updated_at: NOW,
      created_by: null,
    })
    const first = pick(TYPES)
    domains.push({ expert_id: personId, dispute_type_code: first, role: 'primary' })
    const second = pick(TYPES)
    if (second !== first && random() < 0.5) domains.push({ expert_id: personId, dispute_type_code: second, role: 'primary' })
    if (random() < 0.6)
      loads.push({
        expert_id: personId,
        active_count: Math.floor(random() * 5),
        completed_count: 0,
        rating_count: 0,
        rating_sum: 0,
        hours_tenths: 0,
        last_assigned_on: null,
        updated_at: NOW,
      })
  }
  await insertChunked(db, 'people', expertPeople)
  await insertChunked(db, 'experts', experts)
  await insertChunked(db, 'expert_domains', domains)
  await insertChunked(db, 'expert_loads', loads)

  // Cases and consultations.
  const cases: object[] = []
  const consultations: object[] = []
  const statuses = ['registered', 'accepted', 'mediating', 'consulting', 'succeeded', 'failed', 'closed', 'archived'] as const
  for (let i = 0; i < CASES; i++) {
    const org = pick(orgs)
    const registered = instant(random)
    const status = pick(statuses)
    const concluded = ['succeeded', 'failed', 'closed', 'archived'].includes(status) ? addDays(registered, 5 + random() * 60) : null
    const caseId = id('SC', i)
    cases.push({
      id: caseId,
      case_number: `基准-${i}`,
      org_id: org.id,
      case_year: Number(registered.slice(0, 4)),
      case_seq: i + 1,
      title: `案件${i}`,
      summary: '摘要',
      dispute_type_code: pick(TYPES),
      domains: '[]',
      region_code: org.region_code,
      source: pick(['party', 'committee', 'court', 'police', 'petition', 'procuratorate', 'other']),
      difficulty: pick(['ordinary', 'complex', 'major']),
      amount_fen: null,
      party_count: 2,
      experts_needed: 2,
      experts_assigned: 1,
      requirements: '{}',
      requires_outside_region: 0,
      consultation_mode: 'written',
      period_start: registered.slice(0, 10),
      period_end: registered.slice(0, 10),
      deadline: registered.slice(0, 10),
      status,
      registered_at: registered,
      accepted_at: null,
      mediation_started_at: null,
      concluded_at: concluded,
      closed_at: null,
      archived_at: null,
      outcome_note: null,
      version: 1,
      created_by: null,
      created_at: registered,
      updated_at: registered,
    })
    const count = Math.floor(CONSULTATIONS_PER_CASE + random())
    const firstExpert = Math.floor(random() * EXPERTS)
    for (let k = 0; k < count; k++) {
      const invited = addDays(registered, random() * 3)
      const cstatus = pick(['invited', 'accepted', 'declined', 'submitted', 'rated', 'withdrawn'] as const)
      consultations.push({
        id: id(`SK${k}`, i),
        case_id: caseId,
        // Distinct experts per case (one invitation per expert and case).
        expert_id: id('SE', (firstExpert + k * 7919) % EXPERTS),
        status: cstatus,
        source: 'recommended',
        override_reason: null,
        mode: 'written',
        deadline: '2026-12-31',
        score_total: null,
        score_components: null,
        config_version: 1,
        invited_by: null,
        invited_at: invited,
        responded_at: cstatus === 'invited' || cstatus === 'withdrawn' ? null : addDays(invited, random() * 5),
        decline_reason: null,
        opinion_issues: null,
        opinion_analysis: null,
        opinion_resolution: null,
        opinion_legal_basis: null,
        hours_tenths: null,
        submitted_at: null,
        rating: null,
        rating_comment: null,
        rated_by: null,
        rated_at: null,
        version: 1,
      })
    }
  }
  await insertChunked(db, 'cases', cases)
  await insertChunked(db, 'case_consultations', consultations)

  // Drill attempts: a 10-item quiz, each attempt storing per-item correctness as the app does.
  const attempts: object[] = []
  for (let i = 0; i < ATTEMPTS; i++) {
    const m = Math.floor(random() * N)
    const org = orgs[Math.floor(m / PER_ORG)]!
    const ability = random()
    const correct: Record<string, boolean> = {}
    for (let q = 0; q < 10; q++) correct[`q${q}`] = random() < ability + (q - 5) * 0.04
    const score = Object.values(correct).filter(Boolean).length * 10
    const at = instant(random)
    attempts.push({
      id: id('SA', i),
      drill_slug: i % 5 === 0 ? 'bench-drafting' : 'bench-quiz',
      kind: i % 5 === 0 ? 'drafting' : 'quiz',
      person_id: id('SP', m),
      user_id: USER,
      event_id: null,
      org_id: org.id,
      region_code: org.region_code,
      attempt_no: i + 1,
      status: 'graded',
      revision: 0,
      seed: 's',
      items: null,
      answers: '{}',
      result: i % 5 === 0 ? null : JSON.stringify({ correct, points: score / 10, maxPoints: 10 }),
      score,
      passed: i % 5 === 0 ? null : score >= 60 ? 1 : 0,
      started_at: at,
      last_seen_at: at,
      deadline_at: null,
      submitted_at: at,
      graded_at: at,
      time_spent_seconds: 300,
      version: 1,
    })
  }
  await insertChunked(db, 'drill_attempts', attempts)

  // Library submissions and reviews.
  const submissions: object[] = []
  const reviews: object[] = []
  const bookmarks: object[] = []
  for (let i = 0; i < SUBMISSIONS; i++) {
    const m = Math.floor(random() * N)
    const org = orgs[Math.floor(m / PER_ORG)]!
    const submitted = instant(random)
    const status = pick(['submitted', 'returned', 'accepted'] as const)
    const sid = id('SS', i)
    submissions.push({
      id: sid,
      author_user_id: USER,
      author_person_id: id('SP', m),
      org_id: org.id,
      scope_region_code: org.region_code,
      title: `投稿${i}`,
      dispute_type: pick(TYPES),
      domains: '[]',
      region_code: org.region_code,
      year: 2026,
      source: 'party',
      outcome: 'agreement',
      amount_range: 'none',
      techniques: '[]',
      legal_basis: '[]',
      tags: '[]',
      summary: '',
      facts: '',
      process: '',
      result: '',
      commentary: '',
      status,
      revision: 1,
      version: 1,
      submitted_at: submitted,
      accepted_at: status === 'accepted' ? submitted : null,
      accepted_by: null,
      created_at: submitted,
      updated_at: submitted,
    })
    if (status !== 'submitted')
      reviews.push({
        id: id('SV', i),
        submission_id: sid,
        revision: 1,
        reviewer_user_id: USER,
        reviewer_name: '评审',
        decision: status === 'accepted' ? 'accept' : 'return',
        scores: '{}',
        total: 0,
        comments: '',
        created_at: addDays(submitted, 3),
      })
    if (status === 'accepted') for (let b = 0; b < 3; b++) bookmarks.push({ user_id: id('SU', b), case_key: sid, created_at: NOW })
  }
  await insertChunked(db, 'library_submissions', submissions)
  await insertChunked(db, 'library_reviews', reviews)
  await insertChunked(db, 'library_bookmarks', bookmarks)
}

function benchUser(role: 'admin' | 'bureau_staff', regionPath: string | null, regionCode: string | null): AuthUser {
  return {
    userId: `bench-${role}`,
    personId: null,
    username: `bench.${role}`,
    displayName: 'bench',
    sessionHandle: 'bench',
    grants: [{ role, regionPath, regionCode, orgId: null }],
  }
}

/**
 * BENCH_STATS_DATABASE=<mysql url> measures an existing data set instead of loading one (e.g. the
 * province of `npm run gen:data -- --scale province`, 300,000 mediators): nothing is written or
 * dropped, and the records are the bench `stats-pages-existing` with n = its mediators.
 */
const EXISTING = process.env.BENCH_STATS_DATABASE

async function benchDialect(dialect: Dialect, mysqlUrl: string | undefined): Promise<BenchRecord[]> {
  const existing = EXISTING && dialect === 'mysql' ? createDatabase(EXISTING) : null
  const { db, finish } = existing ? { db: existing, finish: () => existing.destroy() } : await scratchDatabase(dialect, mysqlUrl, 'stats')
  try {
    let n = N
    if (existing) {
      n = Number(
        (
          await db
            .selectFrom('mediators')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
      console.log(`[${dialect}] existing data set: ${n} mediators`)
    } else {
      await migrateToLatest(db)
      await seedReferenceData(db)
      const started = performance.now()
      await load(db)
      if (dialect === 'mysql')
        await sql`ANALYZE TABLE training_records, training_progress, mediators, organisations, people, experts, expert_domains, cases, case_consultations, drill_attempts, library_submissions, mediator_grades`.execute(
          db,
        )
      else await sql`ANALYZE`.execute(db)
      console.log(`[${dialect}] municipal data set (${N} mediators) loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    }
    const district = DISTRICTS[0]!
    const districtPath = (await db.selectFrom('regions').select('path').where('code', '=', district.code).executeTakeFirstOrThrow()).path
    const users = { city: benchUser('admin', null, null), district: benchUser('bureau_staff', districtPath, district.code) }
    const base = { bench: existing ? `${BENCH}-existing` : BENCH, dialect, n, target: TARGET_MS }
    // The training figures per organisation, as the background job keeps them (ADR 033): the pages
    // below read them for large scopes. The run is timed on its own.
    const records: BenchRecord[] = [await runFiguresJob(db, base, TODAY)]
    for (const area of STATS_AREAS) {
      for (const [who, user] of Object.entries(users)) {
        // Cold: every query run and every chart drawn on each call (the first visitor's wait).
        const cold = async () => withCharts((await buildStatsReport(db, user, area, FILTERS, 'zh-CN', TODAY)).tables, { cache: false })
        records.push(...timingRecords(base, `${area}-${who}`, await measure(cold, 10, 2)))
        // The queries alone (without drawing), to tell SQL time from chart time.
        const queries = () => buildStatsReport(db, user, area, FILTERS, 'zh-CN', TODAY)
        records.push(...timingRecords(base, `${area}-${who}-queries`, await measure(queries, 10, 1)))
        // Warm: as the page runs it, with the report and chart caches (repeat visits within a minute).
        const warm = async () =>
          withCharts((await buildStatsReport(db, user, area, FILTERS, 'zh-CN', TODAY, { cache: true })).tables, { cache: true })
        records.push(...timingRecords(base, `${area}-${who}-cached`, await measure(warm, 10, 1)))
        // BENCH_STATS_LIVE=off skips it: a whole province counted live takes about a minute a run.
        if (area === 'training' && process.env.BENCH_STATS_LIVE !== 'off') {
          // The same page with the stored figures turned off (the threshold out of reach): before ADR 033.
          process.env.TIAOJIE_FIGURES_MIN_MEDIATORS = String(Number.MAX_SAFE_INTEGER)
          try {
            records.push(...timingRecords(base, `${area}-${who}-live`, await measure(cold, 5, 1)))
          } finally {
            Reflect.deleteProperty(process.env, 'TIAOJIE_FIGURES_MIN_MEDIATORS')
          }
        }
      }
    }
    return records
  } finally {
    await finish()
  }
}

// With BENCH_STATS_DATABASE, only MariaDB is measured (the existing data set is there).
const run = runPerDialect(BENCH, benchDialect, { skip: (dialect) => Boolean(EXISTING) && dialect !== 'mysql' })
export default run

// Run on its own: `tsx bench/stats-pages.ts`; BENCH_DIALECTS=mysql measures one dialect only (loading
// the data set takes minutes).
await runAsScript(import.meta.url, run)
