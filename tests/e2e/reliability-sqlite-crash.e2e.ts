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
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase } from '#db/connect.ts'
import { migrateToLatest } from '#db/migrate.ts'
import type { Database } from '#db/schema.ts'
import { createOrganisation, createUser } from '#db/seed/factories.ts'
import { seedReferenceData } from '#db/seed/reference.ts'
import { freePort, prepareBuild, signIn } from '../../bench/lib/servers.ts'
import { type AppTarget, appClient, exitOf, mediatorForms, startApp as spawnApp, startLoad, stopApp } from './spawn-server.ts'

const PASSWORD = 'Reliability-2026'
const HAIDIAN = '110108'
const NAME_PREFIX = '崩溃恢复'

let runDir = ''
let file = ''
let app: ChildProcess | undefined
let orgId = ''
const target: AppTarget = { base: '', cookie: '' }
const client = appClient(target)
const { get, post } = client
const personForm = mediatorForms({
  prefix: NAME_PREFIX,
  birthYear: 1966,
  idSequence: 9,
  phonePrefix: '137',
  cardPrefix: 'CRASH',
  orgId: () => orgId,
})

const startApp = () => spawnApp({ runDir, databaseUrl: `file:${file}`, base: target.base })

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
    target.base = `http://127.0.0.1:${await freePort()}`
    app = await startApp()
    target.cookie = await signIn(target.base, target.base, 'crash.manager', PASSWORD)
  }, 180_000)

  afterAll(async () => {
    await stopApp(app)
    if (runDir && process.env.E2E_KEEP_TMP !== '1') fs.rmSync(runDir, { recursive: true, force: true })
  }, 60_000)

  it('recovers from the WAL: file intact, every acknowledged registration whole, none half-written, sessions alive', async () => {
    const load = startLoad(client, personForm, { allowed: [200, 302], pauseMs: 0 })
    await load.created(8, 30_000)
    app!.kill('SIGKILL')
    expect((await exitOf(app!)).signal).toBe('SIGKILL')
    const { created, unexpected } = await load.stop()
    expect(unexpected).toEqual([])

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
      expect(created.filter((id) => !ids.has(id))).toEqual([])
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
