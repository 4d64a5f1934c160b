/**
 * `npm run loadtest [-- options]` (issue 10, item 3): the production build on MariaDB with
 * city-scale data, driven by autocannon from a second process on loopback.
 *
 * 1. Builds the app (`--reuse-build` keeps an existing build/).
 * 2. Makes sure the load database holds city-scale data (`db/gen-data.ts --scale city` into
 *    `tiaojie_load` on the server of TEST_MYSQL_URL/BENCH_MYSQL_URL, or `--database URL`).
 * 3. Starts server/start.js (NODE_ENV=production) on a free port and signs in the generated
 *    load accounts once each (argon2 is deliberately slow: never per request).
 * 4. Runs autocannon in a child process for `--duration` seconds (default 30) or `--amount`
 *    requests: 70 % list and detail pages, 20 % searches (library, people, experts), 10 % form
 *    posts (library bookmark toggles, with the app's Origin as server/security.js requires),
 *    each request from a random signed-in user of the right role.
 * 5. Reports requests/s, p50/p90/p99 latency and every unexpected answer (a page that is not 200,
 *    a post that does not redirect), prints the table and writes bench/results/latest.json.
 *
 * Targets (issue 10): at least 150 requests/s sustained, p99 under 500 ms, no errors.
 * Options: --duration S, --amount N, --connections C (default 10), --database URL, --reuse-build,
 * --scale city|province (default city; province: 300,000 mediators in `tiaojie_load_province`,
 * reported as the bench `loadtest-province`).
 * WEB_CONCURRENCY (default 2, one app process per core of the 2-core reference box; 1 for one
 * process) is passed to server/start.js (server/cluster.js).
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { sql } from 'kysely'
import { createDatabase } from '#db/connect.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { mulberry32 } from '#db/seed/demo.ts'
import { LOAD_PASSWORD } from '#db/seed/scale.ts'
import { TEST_DATA_KEY, TEST_SESSION_SECRET } from '#tests/fixtures/test-env.ts'
import { type BenchRecord, printTable, writeResults } from './lib/report.ts'
import { freePort, prepareBuild, signIn, waitForServer } from './lib/servers.ts'

const TARGET_RPS = 150
const TARGET_P99_MS = 500

export interface PlannedRequest {
  kind: 'page' | 'search' | 'post'
  method: 'GET' | 'POST'
  path: string
  /** Index into the cookies of the users the request may come from. */
  user: number
  body?: string
  /** The status a healthy server answers. */
  expect: number
}

interface DrivePlan {
  url: string
  origin: string
  cookies: string[]
  requests: PlannedRequest[]
  duration: number
  amount: number | undefined
  connections: number
  out: string
}

export interface DriveResult {
  requests: number
  seconds: number
  rps: number
  p50: number
  p90: number
  p99: number
  max: number
  errors: number
  timeouts: number
  unexpected: number
  unexpectedSamples: string[]
  byKind: Record<string, number>
  statusCodes: Record<string, number>
}

function option(name: string): string | undefined {
  const args = process.argv.slice(2)
  const at = args.indexOf(`--${name}`)
  return at >= 0 ? args[at + 1] : args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]
}

// ---------------------------------------------------------------------------------------------
// The driver: the second process

async function drive(planFile: string): Promise<void> {
  const { default: autocannon } = (await import('autocannon')) as unknown as {
    default: (opts: Record<string, unknown>) => Promise<Record<string, any>>
  }
  const plan = JSON.parse(fs.readFileSync(planFile, 'utf8')) as DrivePlan
  const random = mulberry32(42)
  const byKind: Record<string, number> = {}
  let unexpected = 0
  const samples: string[] = []
  const result = await autocannon({
    url: plan.url,
    connections: plan.connections,
    duration: plan.duration,
    amount: plan.amount,
    timeout: 10,
    requests: [
      {
        setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => {
          const planned = plan.requests[Math.floor(random() * plan.requests.length)]!
          context.planned = planned
          byKind[planned.kind] = (byKind[planned.kind] ?? 0) + 1
          const headers: Record<string, string> = { cookie: plan.cookies[planned.user]!, accept: 'text/html' }
          if (planned.method === 'POST') {
            headers.origin = plan.origin
            headers['content-type'] = 'application/x-www-form-urlencoded'
          }
          return { ...req, method: planned.method, path: planned.path, headers, body: planned.body }
        },
        onResponse: (status: number, _body: string, context: Record<string, unknown>) => {
          const planned = context.planned as PlannedRequest | undefined
          if (planned && status !== planned.expect) {
            unexpected++
            if (samples.length < 10) samples.push(`${status} ${planned.method} ${planned.path}`)
          }
        },
      },
    ],
  })
  const out: DriveResult = {
    requests: result.requests.total,
    seconds: result.duration,
    rps: Math.round(result.requests.total / result.duration),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    unexpected,
    unexpectedSamples: samples,
    byKind,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, v]) => [code, Number((v as { count: number }).count)]),
    ),
  }
  fs.writeFileSync(plan.out, JSON.stringify(out, null, 2))
}

// ---------------------------------------------------------------------------------------------
// The conductor

/** The data key and session secret the load database was (or will be) generated with. */
export function loadSecrets(): { dataKey: string; sessionSecret: string } {
  if (process.env.TIAOJIE_DATA_KEY && process.env.SESSION_SECRET)
    return { dataKey: process.env.TIAOJIE_DATA_KEY, sessionSecret: process.env.SESSION_SECRET }
  // Generated data is readable only with the key it was sealed with: gen:data without a key uses
  // the development secrets, so the server must use them too.
  const dev = 'data/dev-secrets.json'
  if (fs.existsSync(dev)) return JSON.parse(fs.readFileSync(dev, 'utf8'))
  return { dataKey: TEST_DATA_KEY, sessionSecret: TEST_SESSION_SECRET }
}

async function conduct(): Promise<void> {
  const duration = Number(option('duration') ?? 30)
  const amountOption = option('amount')
  const amount = amountOption ? Number(amountOption) : undefined
  const connections = Number(option('connections') ?? 10)
  const scale = option('scale') ?? 'city'
  if (scale !== 'city' && scale !== 'province') throw new Error(`--scale ${scale}: use city or province`)
  const server = process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'
  const databaseUrl =
    option('database') ??
    (() => {
      const u = new URL(server)
      u.pathname = scale === 'city' ? '/tiaojie_load' : '/tiaojie_load_province'
      return u.toString()
    })()
  // What a 2-core production box runs: one app process per core (server/cluster.js). One Node
  // process computes on one core only, and a single page costs some milliseconds of JavaScript
  // (rendering, route matching, the driver), so one process cannot serve 150 pages a second
  // while MariaDB and autocannon share the box (docs/decisions/031-load-test-findings.md).
  // WEB_CONCURRENCY=1 measures a single process.
  const webConcurrency = Number(process.env.WEB_CONCURRENCY ?? 2)
  const secrets = loadSecrets()
  const childEnv = { ...process.env, DATABASE_URL: databaseUrl, TIAOJIE_DATA_KEY: secrets.dataKey, SESSION_SECRET: secrets.sessionSecret }

  // 1. Build
  const runDir = prepareBuild(process.argv.includes('--reuse-build'))

  // 2. Data
  const admin = new URL(databaseUrl)
  const dbName = admin.pathname.slice(1)
  admin.pathname = '/'
  const adminDb = createDatabase(admin.toString(), { poolSize: 1 })
  await sql`CREATE DATABASE IF NOT EXISTS ${sql.id(dbName)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`.execute(adminDb)
  await adminDb.destroy()
  const db = createDatabase(databaseUrl, { poolSize: 2 })
  const hasLoadAccounts = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'load.admin')
    .executeTakeFirst()
    .catch(() => undefined)
  if (!hasLoadAccounts) {
    console.log(`loadtest: generating ${scale}-scale data into ${dbName} (minutes)`)
    const gen = spawnSync(path.resolve('node_modules/.bin/tsx'), ['db/gen-data.ts', '--scale', scale, '--force'], {
      stdio: 'inherit',
      env: childEnv,
    })
    if (gen.status !== 0) throw new Error('gen:data failed')
  }
  // The load database follows the schema of the code under test (new indexes, new tables).
  const applied = await migrateToLatest(db).catch((error: unknown) => {
    throw new Error(`migrating ${dbName} failed (regenerate it: drop the database and run again): ${String(error)}`)
  })
  if (applied.length) console.log(`loadtest: migrated ${dbName}: ${applied.join(', ')}`)

  // Request targets, each in the scope of the user who asks for it.
  const count = async (table: 'mediators' | 'experts' | 'cases') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  const mediatorsTotal = await count('mediators')
  const users = await db
    .selectFrom('users as u')
    .innerJoin('role_grants as g', 'g.user_id', 'u.id')
    .select(['u.username', 'u.person_id', 'g.role', 'g.region_code', 'g.org_id'])
    .where('u.username', 'like', 'load.%')
    .execute()
  const staff = users.filter((u) => u.role === 'bureau_staff' && u.region_code && u.region_code.length === 6 && u.region_code !== '110000')
  const mediators = users.filter((u) => u.role === 'mediator' && u.person_id)
  if (!staff.length || !mediators.length) throw new Error('the load database has no load.* staff or mediator accounts')
  const district = staff[0]!.region_code!
  const people = (
    await db
      .selectFrom('people as p')
      .innerJoin('mediators as m', 'm.person_id', 'p.id')
      .select('p.id')
      .where('p.region_code', 'like', `${district}%`)
      .orderBy('p.id')
      .limit(200)
      .execute()
  ).map((r) => r.id)
  const experts = (
    await db.selectFrom('experts').select('person_id').where('region_code', '=', district).orderBy('person_id').limit(100).execute()
  ).map((r) => r.person_id)
  const cases = (
    await db.selectFrom('cases').select('id').where('region_code', 'like', `${district}%`).orderBy('id', 'desc').limit(200).execute()
  ).map((r) => r.id)
  const library = (
    await db.selectFrom('library_submissions').select('id').where('status', '=', 'accepted').orderBy('id', 'desc').limit(200).execute()
  ).map((r) => r.id)
  await db.destroy()

  // 3. Server
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const logFile = path.join(os.tmpdir(), `tiaojie-loadtest-${port}.log`)
  const log = fs.openSync(logFile, 'w')
  const child = spawn(process.execPath, [path.resolve('server/start.js')], {
    cwd: runDir,
    env: {
      ...childEnv,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      APP_ORIGIN: origin,
      WEB_CONCURRENCY: String(webConcurrency),
    },
    stdio: ['ignore', log, log],
  })
  fs.closeSync(log)
  try {
    await waitForServer(origin, child)
    const staffAccounts = staff.slice(0, 3)
    const mediatorAccounts = mediators.slice(0, 5)
    const cookies: string[] = []
    for (const account of [...staffAccounts, ...mediatorAccounts])
      cookies.push(await signIn(origin, origin, account.username, LOAD_PASSWORD))
    const staffUsers = staffAccounts.map((_, i) => i)
    const mediatorUsers = mediatorAccounts.map((_, i) => staffAccounts.length + i)
    // Staff of one district reads that district's records (the first staff account's district).
    const districtStaff = 0

    const random = mulberry32(7)
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!
    const requests: PlannedRequest[] = []
    const page = (path: string, user: number) => requests.push({ kind: 'page', method: 'GET', path, user, expect: 200 })
    const search = (path: string, user: number) => requests.push({ kind: 'search', method: 'GET', path, user, expect: 200 })
    // Rounds of twenty requests in the 70/20/10 mix, repeated with different targets.
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 14; i++) {
        const slot = i % 7
        if (slot === 0) page(`/people?page=${1 + (round % 3)}`, pick(staffUsers))
        if (slot === 1) page(`/people/${pick(people)}`, districtStaff)
        if (slot === 2) page(experts.length ? `/experts/${pick(experts)}` : '/experts', districtStaff)
        if (slot === 3) page(`/cases${round % 2 ? '?status=all' : ''}`, pick(staffUsers))
        if (slot === 4) page(`/cases/${pick(cases)}`, districtStaff)
        if (slot === 5) page(library.length ? `/library/${pick(library)}` : '/library', pick(mediatorUsers))
        if (slot === 6)
          page(pick(['/library', '/training', '/drills', `/training/archive/${mediatorAccounts[0]!.person_id}`]), pick(mediatorUsers))
      }
      // The archive page belongs to its own mediator: keep those requests on that account.
      for (const r of requests) if (r.path.startsWith('/training/archive/')) r.user = mediatorUsers[0]!
      // 20 % searches: four per round of twenty.
      for (let i = 0; i < 4; i++) {
        if (i === 0)
          search(`/library?q=${encodeURIComponent(pick(['物业', '邻里纠纷', '工资', '漏水', '婚姻', '交通事故']))}`, pick(mediatorUsers))
        if (i === 1) search(`/people?q=${encodeURIComponent(pick(['王', '李', '张', '刘', '陈']))}`, pick(staffUsers))
        if (i === 2) search(`/experts?q=${encodeURIComponent(pick(['律师', '医师', '王', '工程师']))}`, pick(staffUsers))
        if (i === 3) search(`/cases?status=all&q=${encodeURIComponent(pick(['物业', '工资', '交通']))}`, pick(staffUsers))
      }
      // 10 % posts: two per round of twenty.
      for (let i = 0; i < 2; i++) {
        if (!library.length) break
        const user = mediatorUsers[i % mediatorUsers.length]!
        requests.push({
          kind: 'post',
          method: 'POST',
          path: `/library/${pick(library)}`,
          user,
          body: `intent=${pick(['bookmark', 'unbookmark'])}`,
          expect: 302,
        })
      }
    }
    // Warm-up: every distinct page once (module caches, the library index, MariaDB's buffer pool).
    // Each distinct page is timed once more after the warm-up: the slowest are printed, to say
    // where time goes when the targets are missed.
    const distinct = [...new Map(requests.filter((r) => r.method === 'GET').map((r) => [`${r.user} ${r.path}`, r])).values()]
    for (const r of distinct)
      await fetch(`${origin}${r.path}`, { headers: { cookie: cookies[r.user]! }, redirect: 'manual' }).then((res) => res.arrayBuffer())
    const timings: { path: string; ms: number; status: number; kb: number }[] = []
    for (const r of distinct) {
      const started = performance.now()
      const res = await fetch(`${origin}${r.path}`, { headers: { cookie: cookies[r.user]! }, redirect: 'manual' })
      const bytes = (await res.arrayBuffer()).byteLength
      timings.push({ path: r.path, ms: Math.round(performance.now() - started), status: res.status, kb: Math.round(bytes / 1024) })
    }
    timings.sort((a, b) => b.ms - a.ms)
    console.log('slowest pages (one request each, after warm-up):')
    for (const t of timings.slice(0, 12))
      console.log(`  ${String(t.ms).padStart(6)} ms  ${t.status}  ${String(t.kb).padStart(5)} KB  ${t.path}`)

    // 4. Drive from a second process
    const planFile = path.join(os.tmpdir(), `tiaojie-loadtest-plan-${port}.json`)
    const outFile = path.join(os.tmpdir(), `tiaojie-loadtest-result-${port}.json`)
    fs.writeFileSync(
      planFile,
      JSON.stringify({ url: origin, origin, cookies, requests, duration, amount, connections, out: outFile } satisfies DrivePlan),
    )
    const kinds: Record<string, number> = {}
    for (const r of requests) kinds[r.kind] = (kinds[r.kind] ?? 0) + 1
    console.log(
      `loadtest: ${requests.length} planned requests (${JSON.stringify(kinds)}), ${connections} connections, ${amount ? `${amount} requests` : `${duration} s`}, ${webConcurrency} app process(es)`,
    )
    const cpuBefore = serverCpuMs(child.pid)
    const driver = spawnSync(path.resolve('node_modules/.bin/tsx'), ['bench/loadtest.ts', '--drive', planFile], { stdio: 'inherit' })
    const cpuAfter = serverCpuMs(child.pid)
    if (driver.status !== 0) throw new Error('the autocannon driver failed')
    const result = JSON.parse(fs.readFileSync(outFile, 'utf8')) as DriveResult
    // CPU time per request is steadier than requests/s when other work shares the machine.
    const cpuPerRequest =
      cpuBefore !== null && cpuAfter !== null && result.requests ? Math.round(((cpuAfter - cpuBefore) / result.requests) * 100) / 100 : null

    // 5. Report
    console.log(JSON.stringify(result, null, 2))
    const at = new Date().toISOString()
    const base = {
      bench: scale === 'city' ? 'loadtest' : 'loadtest-province',
      dialect: 'mysql' as const,
      n: mediatorsTotal,
      runs: result.requests,
      at,
    }
    const records: BenchRecord[] = [
      { ...base, metric: 'requests-per-second', value: result.rps, unit: 'req/s', target: TARGET_RPS, better: 'higher' },
      { ...base, metric: 'latency-p50', value: result.p50, unit: 'ms', better: 'lower' },
      ...(cpuPerRequest === null
        ? []
        : [{ ...base, metric: 'server-cpu-per-request', value: cpuPerRequest, unit: 'ms', better: 'lower' as const }]),
      { ...base, metric: 'latency-p90', value: result.p90, unit: 'ms', better: 'lower' },
      { ...base, metric: 'latency-p99', value: result.p99, unit: 'ms', target: TARGET_P99_MS, better: 'lower' },
      {
        ...base,
        metric: 'errors',
        value: result.errors + result.timeouts + result.unexpected,
        unit: 'requests',
        target: 0,
        better: 'lower',
      },
    ]
    printTable(records)
    if (result.unexpectedSamples.length)
      console.log(`unexpected answers (first ${result.unexpectedSamples.length}):\n  ${result.unexpectedSamples.join('\n  ')}`)
    console.log(`written to ${path.relative(process.cwd(), writeResults(records))}; server log: ${logFile}`)
  } finally {
    child.kill('SIGTERM')
    fs.rmSync(runDir, { recursive: true, force: true })
  }
}

/**
 * CPU time (user + system, ms) used so far by the server process and its workers (Linux /proc;
 * null elsewhere).
 */
function serverCpuMs(pid: number | undefined): number | null {
  if (!pid || !fs.existsSync('/proc/self/stat')) return null
  const ticksPerSecond = 100
  let ticks = 0
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      // Fields after the command name: state, ppid, …, utime (12th), stime (13th).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(entry) !== pid && Number(fields[1]) !== pid) continue
      ticks += Number(fields[11]) + Number(fields[12])
    } catch {
      // The process ended meanwhile.
    }
  }
  return (ticks * 1000) / ticksPerSecond
}

/**
 * As part of `npm run bench` the load test runs only with BENCH_LOADTEST=1: it builds the app and
 * may generate a city first, which is more than a routine bench run should do.
 */
export default async function run(): Promise<BenchRecord[]> {
  if (process.env.BENCH_LOADTEST !== '1') {
    console.log('loadtest skipped: run `npm run loadtest` (or set BENCH_LOADTEST=1)')
    return []
  }
  await conduct()
  const file = path.resolve('bench/results/latest.json')
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as BenchRecord[]).filter((r) => r.bench === 'loadtest')
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const planFile = option('drive')
  try {
    if (planFile) await drive(planFile)
    else await conduct()
  } catch (error) {
    console.error(`loadtest: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  }
}
