/**
 * `kill -9` of the app on SQLite (issue 11, part 4; security checklist 29, 30), the twin of the
 * MariaDB case in reliability-faults.e2e.ts. On SQLite the database engine lives inside the app
 * process, so killing the app also kills the database writer in the middle of its work: committed
 * transactions sit in the write-ahead log (WAL, `synchronous = NORMAL`), not yet copied into the
 * main file, and a transaction may be half-way through. The next process to open the file must
 * recover from the WAL: every acknowledged registration there, none half there, the file intact,
 * and sessions (rows in the same file) still valid.
 *
 * The production build (`server/start.js`) runs on a private SQLite file; three workers register
 * mediators (person, mediator and audit rows in one transaction) and read the list while the app
 * is killed with SIGKILL. The files are inspected as the crash left them (a WAL must be there,
 * or the test proves nothing), then the app is restarted on them.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase } from '#db/connect.ts'
import { migrateToLatest } from '#db/migrate.ts'
import type { Database } from '#db/schema.ts'
import { createOrganisation, createUser, validIdNumber } from '#db/seed/factories.ts'
import { seedReferenceData } from '#db/seed/reference.ts'
import { TEST_DATA_KEY, TEST_SESSION_SECRET } from '#tests/fixtures/test-env.ts'
import { freePort, prepareBuild, signIn, waitForServer } from '../../bench/lib/servers.ts'

const PASSWORD = 'Reliability-2026'
const HAIDIAN = '110108'
const NAME_PREFIX = '崩溃恢复'

let runDir = ''
let file = ''
let app: ChildProcess | undefined
let base = ''
let cookie = ''
let orgId = ''
let serial = 0

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function startApp(): Promise<ChildProcess> {
  const log = fs.openSync(path.join(runDir, 'app.log'), 'a')
  const child = spawn(process.execPath, [path.resolve('server/start.js')], {
    cwd: runDir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: `file:${file}`,
      TIAOJIE_DATA_KEY: TEST_DATA_KEY,
      SESSION_SECRET: TEST_SESSION_SECRET,
      HOST: '127.0.0.1',
      PORT: new URL(base).port,
      APP_ORIGIN: base,
    },
    stdio: ['ignore', log, log],
  })
  fs.closeSync(log)
  return waitForServer(base, child).then(() => child)
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode })
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
}

function personForm(): Record<string, string> {
  const n = ++serial
  const birth = new Date(Date.UTC(1966, 0, 1) + n * 86_400_000).toISOString().slice(0, 10)
  return {
    name: `${NAME_PREFIX}${n}`,
    idNumber: validIdNumber(HAIDIAN, birth, 9, n % 2 ? 'male' : 'female'),
    phone: `137${String(10_000_000 + n).slice(-8)}`,
    orgId,
    employment: 'full_time',
    cardNumber: `CRASH-${n}`,
  }
}

async function get(pathname: string) {
  const response = await fetch(`${base}${pathname}`, { headers: { cookie }, redirect: 'manual' })
  return { status: response.status, body: await response.text() }
}

async function post(pathname: string, form: Record<string, string>) {
  const response = await fetch(`${base}${pathname}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, origin: base, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  })
  await response.text()
  return { status: response.status, location: response.headers.get('location') }
}

/** Three workers alternating the list and a registration until stopped; ids of acknowledged registrations. */
function startLoad() {
  const created: string[] = []
  const unexpected: string[] = []
  let running = true
  const worker = async () => {
    for (let i = 0; running; i++) {
      try {
        if (i % 2) {
          const page = await get('/people')
          if (page.status !== 200) unexpected.push(`GET ${page.status}`)
        } else {
          const made = await post('/people/new', personForm())
          if (made.status === 302 && made.location?.startsWith('/people/')) created.push(made.location.split('/').pop()!)
          else unexpected.push(`POST ${made.status}`)
        }
      } catch {
        // The connection died with the app: expected once the kill lands.
        await sleep(50)
      }
    }
  }
  const workers = [worker(), worker(), worker()]
  return {
    created,
    unexpected,
    stop: async () => {
      running = false
      await Promise.all(workers)
    },
  }
}

describe('kill -9 of the app on SQLite', () => {
  beforeAll(async () => {
    runDir = prepareBuild(true, 'sqlite-crash')
    file = path.join(runDir, 'data', 'crash.sqlite')
    const db: Kysely<Database> = createDatabase(`file:${file}`)
    await migrateToLatest(db)
    await seedReferenceData(db)
    orgId = (await createOrganisation(db, { name: '海淀崩溃恢复测试调委会', region_code: HAIDIAN })).id
    await createUser(db, { username: 'crash.manager', password: PASSWORD, roles: [{ role: 'org_manager', orgId }] })
    await db.destroy()
    base = `http://127.0.0.1:${await freePort()}`
    app = await startApp()
    cookie = await signIn(base, base, 'crash.manager', PASSWORD)
  }, 180_000)

  afterAll(async () => {
    if (app && app.exitCode === null && app.signalCode === null) {
      app.kill('SIGTERM')
      await Promise.race([exitOf(app), sleep(12_000)])
      if (app.exitCode === null) app.kill('SIGKILL')
    }
    if (runDir && process.env.E2E_KEEP_TMP !== '1') fs.rmSync(runDir, { recursive: true, force: true })
  }, 60_000)

  it('recovers from the WAL: file intact, every acknowledged registration whole, none half-written, sessions alive', async () => {
    const load = startLoad()
    const deadline = Date.now() + 30_000
    while (load.created.length < 8 && Date.now() < deadline) await sleep(25)
    expect(load.created.length, 'the load did not get going').toBeGreaterThanOrEqual(8)
    app!.kill('SIGKILL')
    expect((await exitOf(app!)).signal).toBe('SIGKILL')
    await load.stop()
    expect(load.unexpected).toEqual([])

    // As the crash left it: committed work still in the WAL (the app's checkpoints run every
    // 1,000 pages, so a short load never reaches one), the main file behind it.
    const wal = `${file}-wal`
    expect(fs.existsSync(wal) && fs.statSync(wal).size, 'no WAL left by the crash: nothing to recover').toBeGreaterThan(0)
    // A copy opened read-only-first by plain SQLite: the recovery is SQLite's, not the app's.
    const image = path.join(runDir, 'image.sqlite')
    for (const suffix of ['', '-wal']) fs.copyFileSync(`${file}${suffix}`, `${image}${suffix}`)
    const raw = new SQLite(image)
    try {
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok')
      expect(raw.pragma('foreign_key_check')).toEqual([])
    } finally {
      raw.close()
    }

    const db: Kysely<Database> = createDatabase(`file:${file}`)
    try {
      const people = await db
        .selectFrom('people as p')
        .leftJoin('mediators as m', 'm.person_id', 'p.id')
        .select(['p.id', 'm.person_id as mediator'])
        .where('p.name', 'like', `${NAME_PREFIX}%`)
        .execute()
      // No person without their mediator row, no acknowledged registration missing.
      expect(people.filter((p) => !p.mediator).map((p) => p.id)).toEqual([])
      const ids = new Set(people.map((p) => p.id))
      expect(load.created.filter((id) => !ids.has(id))).toEqual([])
      const audited = new Set(
        (await db.selectFrom('audit_log').select('record_id').where('action', '=', 'person.create').execute()).map((r) => r.record_id),
      )
      expect([...ids].filter((id) => !audited.has(id))).toEqual([])
      const sessions = await sql<{ n: number }>`select count(*) as n from sessions`.execute(db)
      expect(Number(sessions.rows[0]!.n)).toBeGreaterThan(0)
    } finally {
      await db.destroy()
    }

    app = await startApp()
    // The session signed in before the crash still works: it is a row in the recovered file.
    const page = await get('/people')
    expect(page.status).toBe(200)
    expect(page.body).toContain(NAME_PREFIX)
    expect((await post('/people/new', personForm())).status).toBe(302)
  })
})
