/**
 * `npm run bench -- dashboards` (issue 9): the signed-in home (`homeDashboard`, every panel the
 * user's roles call for) under 300 ms of server time at municipal scale, per role.
 *
 * Data: the app's own city generator (db/seed/scale.ts) into a scratch database per dialect,
 * scaled to BENCH_MEDIATORS mediators (default 50,000, the figure: the city scale's 40,000
 * times 1.25, which also scales experts, cases and training records by 1.25, so the other tables
 * are a quarter above the figures; a heavier load, never a lighter one). BENCH_SQLITE_MEDIATORS
 * sets a smaller SQLite size if its generation is too slow; each record's `n` says what was used.
 *
 * Roles: the generator's `load.*` accounts (mediator, expert, district and city bureau staff,
 * organisation manager, district and city association administrators), their grants resolved the
 * way the session does. Each home is timed two ways:
 * - `ROLE` (uncached): the dashboard's per-process compliance cache cleared before every call, so
 *   every query runs (the first visit after the cache's five minutes run out);
 * - `ROLE-cached`: as a repeat visit within those five minutes (only the staff homes cache).
 * The statements per home are counted once (uncached) and reported as `ROLE-queries`.
 * Before the homes, the training figures per organisation are computed once, as the background job
 * does (ADR 033; the city staff home reads them), and that run is reported as
 * `training-figures-refresh`.
 */
import { type Kysely, sql } from 'kysely'
import type { AuthUser } from '#app/modules/auth/authz.server.ts'
import { ORG_SCOPED, type ResolvedGrant } from '#app/modules/auth/policy.ts'
import { clearDashboardCache, homeDashboard } from '#app/modules/dashboard/home.server.ts'
import { createDatabase } from '#db/connect.ts'
import { migrateToLatest } from '#db/migrate.ts'
import type { Database, Role } from '#db/schema.ts'
import { SCALES, SCALE_TODAY, fastLoadSession, generateScaleData } from '#db/seed/scale.ts'
import { countQueries } from '#tests/fixtures/query-count.ts'
import { type BenchRecord, type Dialect, measure, runAsScript, runPerDialect, timingRecords } from './lib/report.ts'
import { runFiguresJob } from './lib/figures.ts'
import { scratchDatabase } from './lib/scratch-db.ts'

const BENCH = 'dashboards'
const TARGET_MS = 300
const RUNS = Number(process.env.BENCH_RUNS ?? 20)
const WARMUP = 3
/** The generated data is "as of" SCALE_TODAY: the homes are asked at noon of that day in Beijing. */
const NOW = new Date(`${SCALE_TODAY}T04:00:00.000Z`)

function mediatorsFor(dialect: Dialect): number {
  const all = Number(process.env.BENCH_MEDIATORS ?? 50_000)
  return dialect === 'sqlite' && process.env.BENCH_SQLITE_MEDIATORS ? Number(process.env.BENCH_SQLITE_MEDIATORS) : all
}

/** The same resolution as loadGrants (authz.server.ts), on the bench's database rather than getDb(). */
async function userOf(db: Kysely<Database>, username: string): Promise<AuthUser> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'person_id', 'username', 'display_name'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow()
  const rows = await db
    .selectFrom('role_grants as g')
    .leftJoin('organisations as o', 'o.id', 'g.org_id')
    .leftJoin('regions as r', (join) => join.on((eb) => eb('r.code', '=', eb.fn.coalesce('g.region_code', 'o.region_code'))))
    .select(['g.role', 'g.org_id', 'r.path', 'r.code as resolved_region'])
    .where('g.user_id', '=', user.id)
    .orderBy('g.created_at')
    .execute()
  const grants: ResolvedGrant[] = rows.map((r) => ({
    role: r.role as Role,
    regionCode: r.resolved_region ?? null,
    regionPath: r.path ?? null,
    orgId: ORG_SCOPED.includes(r.role as Role) ? r.org_id : null,
  }))
  return {
    userId: user.id,
    personId: user.person_id,
    username: user.username,
    displayName: user.display_name,
    sessionHandle: 'bench',
    grants,
  }
}

/**
 * What the generator leaves out and the homes read: training plans (without them every mediator
 * counts as "no plan" and the compliance summary skips the hours it would otherwise sum) and drill
 * events open today. A city plan, its own plan for every second district (another pre-service
 * period, so the summary's cut-off has two cases) and its own plan for 50 committees; one event
 * city-wide, one per district plan, one per committee plan.
 */
async function addPlansAndEvents(db: Kysely<Database>): Promise<void> {
  const stamp = NOW.toISOString()
  const year = Number(SCALE_TODAY.slice(0, 4))
  const districts = (
    await db.selectFrom('regions').select('code').where('level', '=', 'district').where('code', 'like', '11%').orderBy('code').execute()
  )
    .map((r) => r.code)
    .filter((_, i) => i % 2 === 0)
  const committees = await db
    .selectFrom('organisations')
    .select(['id', 'region_code'])
    .where('kind', 'in', ['committee_village', 'committee_township', 'committee_enterprise', 'committee_sector'])
    .orderBy('id')
    .limit(50)
    .execute()
  const plan = (key: string, region: string, orgId: string | null, full: number, months: number) => ({
    id: `BP${key.padStart(24, '0')}`,
    year,
    scope_key: orgId ? `org:${orgId}` : `region:${region}`,
    region_code: region,
    org_id: orgId,
    full_time_tenths: full,
    part_time_tenths: full / 2,
    sector_tenths: 300,
    pre_service_months: months,
    version: 1,
    created_by: null,
    created_at: stamp,
    updated_at: stamp,
  })
  await db
    .insertInto('training_plans')
    .values([
      plan('city', '110000', null, 400, 3),
      ...districts.map((code) => plan(code, code, null, 480, 6)),
      ...committees.map((c, i) => plan(`org${i}`, c.region_code, c.id, 600, 3)),
    ])
    .execute()
  const event = (key: string, region: string | null, orgId: string | null) => ({
    id: `BE${key.padStart(24, '0')}`,
    title: '基准练习',
    slugs: '["bench-quiz"]',
    region_code: region,
    org_id: orgId,
    starts_at: new Date(NOW.getTime() - 7 * 86_400_000).toISOString(),
    ends_at: new Date(NOW.getTime() + 7 * 86_400_000).toISOString(),
    created_by: null,
    created_at: stamp,
    version: 1,
  })
  await db
    .insertInto('drill_events')
    .values([
      event('city', '110000', null),
      ...districts.map((code) => event(code, code, null)),
      ...committees.map((c, i) => event(`org${i}`, null, c.id)),
    ])
    .execute()
}

async function benchDialect(dialect: Dialect, mysqlUrl: string | undefined): Promise<BenchRecord[]> {
  const scratch = await scratchDatabase(dialect, mysqlUrl, 'dashboards')
  // Bulk loading on one connection (MariaDB's session settings for loading apply to it alone);
  // the homes are measured on a pool of the production default size, since they query in parallel.
  const loader = createDatabase(scratch.url, { poolSize: 1 })
  const db = createDatabase(scratch.url)
  try {
    await migrateToLatest(scratch.db)
    const n = mediatorsFor(dialect)
    const factor = n / SCALES.city.mediators
    const started = performance.now()
    await fastLoadSession(loader)
    const summary = await generateScaleData(loader, { scale: 'city', factor })
    await loader.destroy()
    await addPlansAndEvents(db)
    if (dialect === 'mysql') {
      const tables = Object.keys(summary.counts)
      await sql`ANALYZE TABLE ${sql.join(tables.map((t) => sql.id(t)))}`.execute(db)
    } else await sql`ANALYZE`.execute(db)
    const counts = summary.counts
    console.log(
      `[${dialect}] city data (×${factor}: ${counts.mediators} mediators, ${counts.experts} experts, ${counts.cases} cases, ` +
        `${counts.training_records} training records) loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    )

    const byRole = (role: Role, test: (area: string) => boolean = () => true) =>
      summary.accounts.find((a) => a.role === role && test(a.area))?.username
    const city = summary.accounts.find((a) => a.username === 'load.city.staff')!.area
    const homes: [label: string, username: string | undefined][] = [
      ['mediator', 'load.mediator.1'],
      ['expert', 'load.expert.1'],
      ['district-staff', byRole('bureau_staff', (area) => area !== city)],
      ['city-staff', 'load.city.staff'],
      ['org-manager', byRole('org_manager')],
      ['district-association', byRole('association_admin', (area) => area !== city)],
      ['city-association', 'load.city.assoc'],
    ]
    const base = { bench: BENCH, dialect, n: counts.mediators ?? n, target: TARGET_MS }
    // The training figures per organisation, as the background job keeps them (ADR 033): the pages
    // below read them for large scopes. The run is timed on its own.
    const records: BenchRecord[] = [await runFiguresJob(db, base, SCALE_TODAY, NOW)]
    for (const [label, username] of homes) {
      if (!username) {
        console.log(`[${dialect}] no generated account for ${label}: skipped`)
        continue
      }
      const user = await userOf(db, username)
      const uncached = () => {
        clearDashboardCache()
        return homeDashboard(db, user, NOW)
      }
      const counted = await countQueries(db, uncached)
      records.push(...timingRecords(base, label, await measure(uncached, RUNS, WARMUP)))
      records.push(...timingRecords(base, `${label}-cached`, await measure(() => homeDashboard(db, user, NOW), RUNS, WARMUP)))
      records.push({
        bench: BENCH,
        metric: `${label}-queries`,
        value: counted.queries.length,
        unit: 'queries',
        better: 'lower',
        dialect,
        n: base.n,
        runs: 1,
        at: new Date().toISOString(),
      })
      const compliance = counted.result.staff?.compliance
      const note = compliance
        ? `; compliance ${compliance.mediators} mediators, ${compliance.behind} behind, ${compliance.withoutPlan} orgs without plan`
        : ''
      console.log(
        `[${dialect}] ${label} (${username}): panels ${counted.result.panels.join(', ')}; ${counted.queries.length} queries${note}`,
      )
    }
    return records
  } finally {
    await loader.destroy().catch(() => {})
    await db.destroy()
    await scratch.finish()
  }
}

const run = runPerDialect(BENCH, benchDialect)
export default run

// Run on its own: `tsx bench/dashboards.ts`; BENCH_DIALECTS=mysql measures one dialect only (loading
// the data set takes minutes).
await runAsScript(import.meta.url, run)
