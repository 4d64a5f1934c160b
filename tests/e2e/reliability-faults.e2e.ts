/**
 * Fault tests against the production build (issue 11, part 4; security checklist items 25 and 29):
 * the app server (`node server/start.js`, built by the e2e set-up) on a PRIVATE MariaDB server of
 * its own (tests/reliability/private-mariadb.ts), so the database can be crashed and restarted
 * without disturbing the shared one. In order:
 *
 * 1. MariaDB killed and restarted during a bounded load run: localised 503 pages with Retry-After
 *    while it is down, full recovery without restarting Node, no half-written records.
 * 2. The pool's idle connections killed by the server (KILL, then a short wait_timeout): the next
 *    requests still work.
 * 3. An unexpected SQL error shows the generic error page: no SQL, no stack.
 * 4. `kill -9` of the app under load: it restarts, sessions survive, no half-written records.
 * 5. SIGTERM drains: no new connections, the request in flight finishes, the pool closes, exit 0.
 *
 * The load is a few workers registering mediators (person, mediator and audit rows in one
 * transaction) and reading the mediator list. Skipped with a message when mariadbd is not installed.
 */
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase } from '#db/connect.ts'
import { migrateToLatest } from '#db/migrate.ts'
import type { Database } from '#db/schema.ts'
import { createOrganisation, createUser } from '#db/seed/factories.ts'
import { seedReferenceData } from '#db/seed/reference.ts'
import { PrivateMariadb, privateMariadbMissing } from '#tests/reliability/private-mariadb.ts'
import { freePort, prepareBuild, signIn } from '../../bench/lib/servers.ts'
import {
  type AppTarget,
  appClient,
  exitOf,
  mediatorForms,
  sleep,
  startApp as spawnApp,
  startLoad as spawnLoad,
  stopApp,
} from './spawn-server.ts'

const missing = privateMariadbMissing()
if (missing) console.log(`reliability e2e skipped: ${missing}`)

const DB_NAME = 'tiaojie_reliability'
const PASSWORD = 'Reliability-2026'
const HAIDIAN = '110108'
const NAME_PREFIX = '可靠性'

let mariadb: PrivateMariadb
let db: Kysely<Database>
let runDir = ''
let app: ChildProcess | undefined
let appPort = 0
let orgId = ''
const target: AppTarget = { base: '', cookie: '' }
const client = appClient(target)
const { get, post } = client
/** A new mediator for the form: unique ID number (birth date varies), phone and work card. */
const personForm = mediatorForms({
  prefix: NAME_PREFIX,
  birthYear: 1965,
  idSequence: 7,
  phonePrefix: '139',
  cardPrefix: 'REL',
  orgId: () => orgId,
})

const startApp = () => spawnApp({ runDir, databaseUrl: mariadb.url(DB_NAME), base: target.base })
/** Three workers alternating a list page and a registration until stopped. */
const startLoad = (allowed: number[]) => spawnLoad(client, personForm, { allowed, pauseMs: 20 })

/** Every registered person has their mediator row and their audit entry: nothing half-written. */
async function expectNoHalfWrittenPeople(created: string[]): Promise<void> {
  const people = await db
    .selectFrom('people as p')
    .leftJoin('mediators as m', 'm.person_id', 'p.id')
    .select(['p.id', 'm.person_id as mediator'])
    .where('p.name', 'like', `${NAME_PREFIX}%`)
    .execute()
  expect(people.filter((p) => !p.mediator).map((p) => p.id)).toEqual([])
  const ids = new Set(people.map((p) => p.id))
  expect(created.filter((id) => !ids.has(id))).toEqual([])
  const audited = new Set(
    (await db.selectFrom('audit_log').select('record_id').where('action', '=', 'person.create').execute()).map((r) => r.record_id),
  )
  expect([...ids].filter((id) => !audited.has(id))).toEqual([])
}

describe.skipIf(!!missing)('faults on the production build with a private MariaDB', () => {
  beforeAll(async () => {
    runDir = prepareBuild(true, 'reliability')
    mariadb = new PrivateMariadb(runDir, await freePort())
    mariadb.install()
    await mariadb.start()
    const admin = createDatabase(mariadb.url(), { poolSize: 1 })
    await sql`CREATE DATABASE ${sql.id(DB_NAME)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`.execute(admin)
    await admin.destroy()
    db = createDatabase(mariadb.url(DB_NAME), { poolSize: 2 })
    await migrateToLatest(db)
    await seedReferenceData(db)
    orgId = (await createOrganisation(db, { name: '海淀可靠性测试调委会', region_code: HAIDIAN })).id
    // A committee manager registers the committee's mediators (and, unlike bureau staff, needs no
    // second factor to sign in, so the test can sign in with the password alone).
    await createUser(db, { username: 'rel.manager', password: PASSWORD, roles: [{ role: 'org_manager', orgId }] })

    appPort = await freePort()
    target.base = `http://127.0.0.1:${appPort}`
    app = await startApp()
    target.cookie = await signIn(target.base, target.base, 'rel.manager', PASSWORD)
  }, 180_000)

  afterAll(async () => {
    await stopApp(app)
    await db?.destroy().catch(() => undefined)
    await mariadb?.stop('SIGTERM')
    if (runDir && process.env.E2E_KEEP_TMP !== '1') fs.rmSync(runDir, { recursive: true, force: true })
  }, 60_000)

  it('answers a localised 503 with Retry-After while MariaDB is down and recovers without a restart', async () => {
    const pid = app!.pid
    const load = startLoad([200, 302, 503])
    await load.created(3)
    await mariadb.stop('SIGKILL')

    const zh = await get('/people', { 'accept-language': 'zh-CN,zh;q=0.9' })
    expect(zh.status).toBe(503)
    expect(zh.headers.get('retry-after')).toBe('10')
    expect(zh.body).toContain('服务暂不可用')
    expect(zh.body).toContain('数据库暂时无法连接')
    const en = await get('/people', { 'accept-language': 'en' })
    expect(en.status).toBe(503)
    expect(en.body).toContain('Temporarily unavailable')
    for (const body of [zh.body, en.body]) {
      expect(body).not.toMatch(/ECONNREFUSED|mysql|\bat .+:\d+:\d+/i)
    }
    // A form posted while the database is down gets the same page, not a 500.
    const refused = await post('/people/new', personForm())
    expect(refused.status).toBe(503)
    expect(refused.body).toContain('服务暂不可用')
    // A client-side navigation (single fetch) is told 503 too.
    const data = await fetch(`${target.base}/people.data`, { headers: { cookie: target.cookie } })
    expect(data.status).toBe(503)
    expect(data.headers.get('retry-after')).toBe('10')
    await sleep(1000)

    await mariadb.start()
    const restarted = Date.now()
    let recovered = false
    while (!recovered && Date.now() - restarted < 20_000) {
      recovered = (await get('/people')).status === 200
      if (!recovered) await sleep(200)
    }
    expect(recovered, 'the app never recovered after MariaDB came back').toBe(true)
    const beforeRecovery = load.result.statuses[302] ?? 0
    await sleep(1500)
    const result = await load.stop()
    console.log(
      `reliability: load during the restart ${JSON.stringify(result.statuses)}, recovered ${Date.now() - restarted} ms after the restart`,
    )
    expect(result.unexpected).toEqual([])
    expect(result.networkErrors).toBe(0)
    expect(result.statuses[503]).toBeGreaterThan(0)
    // Registrations succeed again after the restart, from the same Node process.
    expect(result.statuses[302] ?? 0).toBeGreaterThan(beforeRecovery)
    expect(app!.exitCode).toBeNull()
    expect(app!.pid).toBe(pid)
    await expectNoHalfWrittenPeople(result.created)
  })

  it('keeps working when the server kills the pool’s idle connections', async () => {
    const admin = createDatabase(mariadb.url(), { poolSize: 1 })
    const killAppConnections = async () => {
      const { rows } = await sql<{ id: number }>`select id from information_schema.processlist where db = ${DB_NAME}`.execute(admin)
      for (const { id } of rows) await sql`kill ${sql.raw(String(Number(id)))}`.execute(admin).catch(() => undefined)
      return rows.length
    }
    try {
      // Several requests at once, so the pool holds several connections.
      expect((await Promise.all([1, 2, 3].map(() => get('/people')))).map((r) => r.status)).toEqual([200, 200, 200])
      expect(await killAppConnections()).toBeGreaterThan(0)
      for (let i = 0; i < 3; i++) expect((await get('/people')).status).toBe(200)
      expect((await post('/people/new', personForm())).status).toBe(302)

      // A short wait_timeout: the server closes connections that sit idle for a second.
      await sql`SET GLOBAL wait_timeout = 1`.execute(admin)
      await killAppConnections()
      expect((await Promise.all([1, 2, 3].map(() => get('/people')))).map((r) => r.status)).toEqual([200, 200, 200])
      await sleep(2500)
      expect((await Promise.all([1, 2, 3].map(() => get('/people')))).map((r) => r.status)).toEqual([200, 200, 200])
      expect((await post('/people/new', personForm())).status).toBe(302)
    } finally {
      await sql`SET GLOBAL wait_timeout = 28800`.execute(admin)
      await admin.destroy()
    }
  })

  it('shows a generic error page for an unexpected SQL error: no SQL, no stack', async () => {
    await sql`RENAME TABLE mediators TO mediators_moved_away`.execute(db)
    try {
      const zh = await get('/people', { 'accept-language': 'zh-CN' })
      expect(zh.status).toBe(500)
      expect(zh.body).toContain('系统错误')
      const en = await get('/people', { 'accept-language': 'en' })
      expect(en.status).toBe(500)
      expect(en.body).toContain('System error')
      for (const body of [zh.body, en.body]) {
        expect(body).not.toMatch(/mediators_moved_away|doesn't exist|select |ER_NO_SUCH_TABLE|\bat .+:\d+:\d+/i)
      }
    } finally {
      await sql`RENAME TABLE mediators_moved_away TO mediators`.execute(db)
    }
    expect((await get('/people')).status).toBe(200)
  })

  it('survives kill -9 under load: restarts, sessions survive, no half-written records', async () => {
    const load = startLoad([200, 302])
    await load.created(3)
    await sleep(300)
    app!.kill('SIGKILL')
    expect((await exitOf(app!)).signal).toBe('SIGKILL')
    const result = await load.stop()
    expect(result.unexpected).toEqual([])
    expect(result.created.length).toBeGreaterThan(0)

    app = await startApp()
    // The session signed in before the crash still works (sessions live in the database).
    const page = await get('/people')
    expect(page.status).toBe(200)
    expect(page.body).toContain(`${NAME_PREFIX}`)
    await expectNoHalfWrittenPeople(result.created)
    expect((await post('/people/new', personForm())).status).toBe(302)
  })

  it('drains in-flight requests on SIGTERM, closes the pool and exits 0', async () => {
    const child = app!
    const form = personForm()
    const body = Buffer.from(new URLSearchParams(form).toString())
    // A registration whose body arrives slowly: the request is in flight when SIGTERM comes.
    const request = http.request({
      host: '127.0.0.1',
      port: appPort,
      method: 'POST',
      path: '/people/new',
      agent: false,
      headers: {
        cookie: target.cookie,
        origin: target.base,
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': body.length,
      },
    })
    const answered = new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
      request.on('response', (response) => {
        response.resume()
        response.on('end', () => resolve({ status: response.statusCode!, location: response.headers.location }))
      })
      request.on('error', reject)
    })
    request.write(body.subarray(0, 20))
    await sleep(300)

    const stopped = Date.now()
    const exited = exitOf(child)
    child.kill('SIGTERM')
    await sleep(300)
    // No new connections are accepted.
    const refused = await new Promise<string>((resolve) => {
      const probe = http.get({ host: '127.0.0.1', port: appPort, path: '/login', agent: false }, (response) => {
        response.resume()
        resolve(`answered ${response.statusCode}`)
      })
      probe.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
    })
    expect(refused).toBe('ECONNREFUSED')
    expect(child.exitCode).toBeNull()

    request.end(body.subarray(20))
    const outcome = await answered
    expect(outcome.status).toBe(302)
    const personId = outcome.location!.split('/').pop()!
    const { code } = await Promise.race([exited, sleep(15_000).then(() => ({ code: -1 }))])
    expect(code).toBe(0)
    expect(Date.now() - stopped).toBeLessThan(12_000)
    expect(fs.readFileSync(path.join(runDir, 'app.log'), 'utf8')).toContain('shutdown: requests finished, database pool closed')
    const saved = await db.selectFrom('mediators').select('person_id').where('person_id', '=', personId).executeTakeFirst()
    expect(saved?.person_id).toBe(personId)
    app = undefined
  })
})
