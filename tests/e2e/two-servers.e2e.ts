/**
 * Two app servers on one MariaDB database behind nginx (issue 10, item 5): the production build
 * (made by the e2e set-up) served twice from a private copy, nginx from Debian's packages in front
 * of both (round robin), its configuration and files in a scratch directory, run in the foreground
 * as a child (`-p prefix -c conf`). Checks that
 * - a session signed in through one server works on the other (and through nginx);
 * - a library case accepted through one is found by the other's search within seconds (each
 *   server keeps its own in-memory index, refreshed through a version stamp in the database);
 * - an expert with room for one more case is not booked twice when one server invites them to a
 *   case while the other confirms a batch that gives them another case, at the same moment.
 *
 * Skipped with a message when TEST_MYSQL_URL is unset (one database for two processes needs a
 * server) or nginx is not installed.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import { todayInChina } from '#app/lib/time.ts'
import { createCase } from '#app/modules/cases/cases.server.ts'
import { createDatabase } from '#db/connect.ts'
import { migrateToLatest } from '#db/migrate.ts'
import type { Database } from '#db/schema.ts'
import { createExpert } from '#db/seed/expert-pool.ts'
import { createMediator, createOrganisation, createUser, validIdNumber } from '#db/seed/factories.ts'
import { seedReferenceData } from '#db/seed/reference.ts'
import { seedTwoFactorDemo } from '#db/seed/two-factor.ts'
import { TEST_DATA_KEY, TEST_SESSION_SECRET } from '#tests/fixtures/test-env.ts'
import { randomTag } from '#tests/setup/test-database.ts'
import { freePort, prepareBuild, signIn, waitForServer } from '../../bench/lib/servers.ts'

const MYSQL_URL = process.env.TEST_MYSQL_URL
const NGINX = '/usr/sbin/nginx'
const skip = !MYSQL_URL || !fs.existsSync(NGINX)
if (skip) {
  console.log(
    `two-servers e2e skipped: ${!MYSQL_URL ? 'TEST_MYSQL_URL is unset (two servers need one MariaDB database)' : `no ${NGINX} (apt-get install nginx-light)`}`,
  )
}

// Rows made here are sealed with the key the servers use.
process.env.TIAOJIE_DATA_KEY = TEST_DATA_KEY
process.env.SESSION_SECRET = TEST_SESSION_SECRET

const PASSWORD = 'Two-Servers-2026'
const HAIDIAN = '110108'
const TODAY = todayInChina()

let db: Kysely<Database>
let adminUrl: URL
let dbName = ''
let runDir = ''
const children: ChildProcess[] = []
// a, b: the app servers; proxy: nginx over both (round robin); viaA, viaB: nginx in front of one
// server each, so a test can pick the server while every request still arrives the way a browser's
// would (the public Host and Origin).
const ports = { a: 0, b: 0, proxy: 0, viaA: 0, viaB: 0 }
let origin = ''
const base = (which: 'a' | 'b' | 'proxy') => `http://127.0.0.1:${ports[which === 'a' ? 'viaA' : which === 'b' ? 'viaB' : 'proxy']}`
const ids = { submission: '', expert: '', caseX: '', caseY: '' }

function nginxConf(dir: string): string {
  return `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 256; }
http {
  access_log ${dir}/nginx-access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream tiaojie {
    server 127.0.0.1:${ports.a};
    server 127.0.0.1:${ports.b};
  }
  upstream only_a { server 127.0.0.1:${ports.a}; }
  upstream only_b { server 127.0.0.1:${ports.b}; }
${[
  [ports.proxy, 'tiaojie'],
  [ports.viaA, 'only_a'],
  [ports.viaB, 'only_b'],
]
  .map(
    ([port, upstream]) => `  server {
    listen 127.0.0.1:${port};
    client_max_body_size 12m;
    location / {
      proxy_pass http://${upstream};
      # The public host (with its port): Remix refuses a form post whose Origin names another host.
      proxy_set_header Host 127.0.0.1:${ports.proxy};
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }
  }`,
  )
  .join('\n')}
}
`
}

async function get(which: 'a' | 'b' | 'proxy', path: string, cookie: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${base(which)}${path}`, { headers: { cookie }, redirect: 'manual' })
  return { status: response.status, body: await response.text() }
}

async function post(which: 'a' | 'b' | 'proxy', path: string, cookie: string, form: Record<string, string | string[]>) {
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries(form)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one)
  const response = await fetch(`${base(which)}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, origin, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  })
  return { status: response.status, body: await response.text() }
}

describe.skipIf(skip)('two app servers behind nginx on one MariaDB', () => {
  beforeAll(async () => {
    // A database of its own on the test server.
    dbName = `tj_two_${randomTag(8)}`
    adminUrl = new URL(MYSQL_URL!)
    adminUrl.pathname = '/'
    const admin = createDatabase(adminUrl.toString(), { poolSize: 1 })
    await sql`CREATE DATABASE ${sql.id(dbName)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`.execute(admin)
    await admin.destroy()
    const url = new URL(MYSQL_URL!)
    url.pathname = `/${dbName}`
    db = createDatabase(url.toString(), { poolSize: 2 })
    await migrateToLatest(db)
    await seedReferenceData(db)
    // Staff sign in with a password only here, as in the demo; two-factor.e2e.ts covers the second step.
    await seedTwoFactorDemo(db)

    // People and accounts.
    const committee = await createOrganisation(db, { name: '海淀双机测试调委会', region_code: HAIDIAN })
    const { person } = await createMediator(db, { org_id: committee.id, person: { region_code: HAIDIAN } })
    await createUser(db, { username: 'two.staff', password: PASSWORD, roles: [{ role: 'bureau_staff', regionCode: HAIDIAN }] })
    const mediator = await createUser(db, {
      username: 'two.mediator',
      password: PASSWORD,
      roles: [{ role: 'mediator' }],
      personId: person!.id,
    })
    await createUser(db, { username: 'two.reviewer', password: PASSWORD, roles: [{ role: 'reviewer', regionCode: HAIDIAN }] })

    // A library case waiting for review.
    ids.submission = newId()
    const now = new Date().toISOString()
    await db
      .insertInto('library_submissions')
      .values({
        id: ids.submission,
        author_user_id: mediator.user.id,
        author_person_id: person!.id,
        org_id: committee.id,
        scope_region_code: HAIDIAN,
        title: '鹊桥巷晾衣绳遮挡采光纠纷',
        dispute_type: '邻里',
        domains: JSON.stringify(['邻里']),
        region_code: HAIDIAN,
        year: 2026,
        source: '当事人申请',
        outcome: '书面协议',
        amount_range: '无',
        techniques: JSON.stringify(['倾听']),
        legal_basis: JSON.stringify([]),
        tags: JSON.stringify(['鹊桥巷']),
        summary: '鹊桥巷两户因晾衣绳遮挡采光发生争执，调解后调整位置。',
        facts: '鹊桥巷住户张某在楼前拉设晾衣绳，邻居李某认为遮挡采光。',
        process: '调解员现场查看，提出调整方案。',
        result: '双方同意将晾衣绳移至楼侧。',
        commentary: '小事及时调解，避免矛盾升级。',
        status: 'submitted',
        revision: 1,
        version: 1,
        submitted_at: now,
        accepted_at: null,
        accepted_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute()

    // An expert with room for exactly one more case, and two cases that want one expert each.
    const expert = await createExpert(db, {
      primary: ['医疗'],
      professions: JSON.stringify(['medicine']),
      tier: 'district',
      region_code: HAIDIAN,
      max_concurrent_cases: 1,
      person: { region_code: HAIDIAN },
    })
    ids.expert = expert.expert.person_id
    const caseInput = (title: string, seq: number) => ({
      title,
      summary: '术后并发症，需要医学专家意见',
      disputeType: '医疗',
      domains: [],
      regionCode: HAIDIAN,
      orgId: committee.id,
      source: 'party' as const,
      difficulty: 'complex' as const,
      amountYuan: 50000,
      partyCount: 2,
      parties: [
        { kind: 'person' as const, name: '王某', idNumber: validIdNumber(HAIDIAN, '1975-03-04', 200 + seq, 'male') },
        { kind: 'organisation' as const, name: '北京某医院' },
      ],
      expertsNeeded: 1,
      requiredProfession: undefined,
      minTier: undefined,
      requiresOutsideRegion: false,
      consultationMode: 'written' as const,
      periodStart: TODAY,
      periodEnd: TODAY,
      deadline: TODAY,
    })
    ids.caseX = (await createCase(db, caseInput('双机甲案医疗纠纷', 1), null)).id
    ids.caseY = (await createCase(db, caseInput('双机乙案医疗纠纷', 2), null)).id
    await db.updateTable('cases').set({ status: 'accepted', accepted_at: now }).where('id', 'in', [ids.caseX, ids.caseY]).execute()

    // Two servers and nginx.
    runDir = prepareBuild(true, 'two-servers')
    fs.chmodSync(runDir, 0o777)
    ports.a = await freePort()
    ports.b = await freePort()
    ports.proxy = await freePort()
    ports.viaA = await freePort()
    ports.viaB = await freePort()
    origin = base('proxy')
    for (const which of ['a', 'b'] as const) {
      const log = fs.openSync(path.join(runDir, `server-${which}.log`), 'w')
      children.push(
        spawn(process.execPath, [path.resolve('server/start.js')], {
          cwd: runDir,
          env: {
            ...process.env,
            NODE_ENV: 'production',
            DATABASE_URL: url.toString(),
            TIAOJIE_DATA_KEY: TEST_DATA_KEY,
            SESSION_SECRET: TEST_SESSION_SECRET,
            HOST: '127.0.0.1',
            PORT: String(ports[which]),
            // Browsers reach the app through nginx: that is the one origin a form post may carry.
            APP_ORIGIN: origin,
            TRUST_PROXY_HOPS: '1',
          },
          stdio: ['ignore', log, log],
        }),
      )
      fs.closeSync(log)
    }
    fs.writeFileSync(path.join(runDir, 'nginx.conf'), nginxConf(runDir))
    const nginxLog = fs.openSync(path.join(runDir, 'nginx.out'), 'w')
    children.push(spawn(NGINX, ['-p', runDir, '-c', path.join(runDir, 'nginx.conf')], { stdio: ['ignore', nginxLog, nginxLog] }))
    fs.closeSync(nginxLog)
    await waitForServer(`http://127.0.0.1:${ports.a}`, children[0]!)
    await waitForServer(`http://127.0.0.1:${ports.b}`, children[1]!)
    for (const which of ['proxy', 'a', 'b'] as const) await waitForServer(base(which), children[2]!)
  }, 120_000)

  afterAll(async () => {
    for (const child of children.reverse()) {
      if (child.exitCode !== null) continue
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill(child.spawnfile === NGINX ? 'SIGQUIT' : 'SIGTERM')
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))])
    }
    if (db) {
      await db.destroy()
      const admin = createDatabase(adminUrl.toString(), { poolSize: 1 })
      await sql`DROP DATABASE IF EXISTS ${sql.id(dbName)}`.execute(admin)
      await admin.destroy()
    }
    if (runDir && process.env.E2E_KEEP_TMP !== '1') fs.rmSync(runDir, { recursive: true, force: true })
  })

  it('a session signed in through one server works on the other and through nginx', async () => {
    const cookie = await signIn(base('a'), origin, 'two.staff', PASSWORD)
    expect((await get('b', '/people', cookie)).status).toBe(200)
    expect((await get('a', '/people', cookie)).status).toBe(200)
    // Through the proxy, both upstreams answer in turn: several requests in a row all succeed.
    for (let i = 0; i < 4; i++) expect((await get('proxy', '/people', cookie)).status).toBe(200)
    // Signing out on B ends the session on A too.
    const out = await post('b', '/logout', cookie, {})
    expect([302, 303]).toContain(out.status)
    expect((await get('a', '/people', cookie)).status).toBe(302)
  })

  it('a library case accepted through one server is found by the other within seconds', async () => {
    const mediator = await signIn(base('b'), origin, 'two.mediator', PASSWORD)
    // B builds its index before the acceptance (so it must notice the change, not start fresh).
    expect((await get('b', `/library?q=${encodeURIComponent('鹊桥巷')}`, mediator)).body).not.toContain(ids.submission)
    const reviewer = await signIn(base('a'), origin, 'two.reviewer', PASSWORD)
    const scores = { truthfulness: '5', typicality: '4', procedure: '4', novelty: '3', readability: '4', exemplary: '4' }
    const accepted = await post('a', `/library/submissions/${ids.submission}`, reviewer, {
      intent: 'accept',
      version: '1',
      ...scores,
      comments: '事实清楚，同意入库。',
    })
    expect(accepted.status, accepted.body.slice(0, 300)).toBe(302)
    const row = await db.selectFrom('library_submissions').select('status').where('id', '=', ids.submission).executeTakeFirstOrThrow()
    expect(row.status).toBe('accepted')
    const started = Date.now()
    let found = false
    while (!found && Date.now() - started < 15_000) {
      found = (await get('b', `/library?q=${encodeURIComponent('鹊桥巷')}`, mediator)).body.includes(ids.submission)
      if (!found) await new Promise((r) => setTimeout(r, 250))
    }
    expect(found, 'server B never found the case server A accepted').toBe(true)
    console.log(`two-servers: B found the case ${Date.now() - started} ms after A accepted it`)
  })

  it('an expert with room for one case is not booked twice by an invitation on A and a batch on B at once', async () => {
    const staffA = await signIn(base('a'), origin, 'two.staff', PASSWORD)
    const staffB = await signIn(base('b'), origin, 'two.staff', PASSWORD)
    // Both servers have looked at the pool (and cached it) while the expert was free.
    expect((await get('a', `/cases/${ids.caseX}`, staffA)).status).toBe(200)
    expect((await get('b', '/cases/batch', staffB)).status).toBe(200)
    const [invite, batch] = await Promise.all([
      post('a', `/cases/${ids.caseX}`, staffA, {
        intent: 'invite',
        expertId: ids.expert,
        source: 'search',
        mode: 'written',
        deadline: TODAY,
      }),
      post('b', '/cases/batch', staffB, { intent: 'confirm', keep: `${ids.caseY}:${ids.expert}`, deadline: TODAY }),
    ])
    const booked = await db.selectFrom('case_consultations').select(['case_id', 'status']).where('expert_id', '=', ids.expert).execute()
    expect(booked, `invite ${invite.status}, batch ${batch.status}`).toHaveLength(1)
    const load = await db.selectFrom('expert_loads').select('active_count').where('expert_id', '=', ids.expert).executeTakeFirst()
    expect(load?.active_count).toBe(1)
    const cases = await db.selectFrom('cases').select(['id', 'experts_assigned']).where('id', 'in', [ids.caseX, ids.caseY]).execute()
    expect(cases.reduce((s, c) => s + c.experts_assigned, 0)).toBe(1)
    // The one that lost was told so (the batch with 409; the invitation re-renders with its refusal).
    if (booked[0]!.case_id === ids.caseX) expect(batch.status).toBe(409)
    else expect(invite.status).not.toBe(302)
  })
})
