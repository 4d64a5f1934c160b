/**
 * The purge of closed cases' party data after the retention (security checklist 28): exactly the
 * due cases lose their parties' names and ID numbers, open and recently closed cases keep them,
 * organisations keep their names, a second run changes nothing, every run is audited with counts
 * and no names, two app servers purging at once each case once, and /admin/retention is for the
 * system administrator only (loader and action), with a double submit starting one run.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { writeSetting } from '#app/lib/settings.server.ts'
import { newId } from '#app/lib/ids.ts'
import { createCase } from '#app/modules/cases/cases.server.ts'
import { loader as caseLoader } from '#app/routes/_app.cases.$caseId.tsx'
import { action, loader } from '#app/routes/_app.admin.retention.tsx'
import { createDatabase } from '#db/connect.ts'
import type { CaseStatus } from '#db/schema.ts'
import { caseInput } from '#tests/fixtures/cases.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { validIdNumber } from '#tests/fixtures/factories.ts'
import { type World, buildWorld, call, serialized } from '#tests/security/world.ts'
import { PURGE_ACTION, SYSTEM_ACTOR, countDue, purgeDueParties, recentRuns, systemRequest } from './purge.server.ts'
import { retentionCutoff } from './rules.ts'
import { RETENTION_SETTINGS } from './settings.server.ts'

let world: World
const NOW = new Date()
let seq = 0

/** An instant `months` (and a few minutes) before NOW. */
function monthsAgo(months: number, minutes = 0): string {
  return new Date(Date.parse(retentionCutoff(NOW, months)) - minutes * 60_000).toISOString()
}

interface Made {
  id: string
  names: string[]
  idNumbers: string[]
}

/** A case with two persons around an organisation, moved straight to `status` with the given dates. */
async function makeCase(status: CaseStatus, dates: { closed?: string | null; archived?: string | null } = {}): Promise<Made> {
  const db = testDb()
  const n = ++seq
  const names = [`张测试${n}`, `李测试${n}`]
  const idNumbers = [validIdNumber('110108', '1980-01-01', n % 400, 'male'), validIdNumber('110108', '1985-02-02', n % 400, 'female')]
  const { id } = await createCase(
    db,
    caseInput(
      { orgId: world.orgs.hdCommittee, regionCode: '110108' },
      {
        title: `保存期限测试 ${n}`,
        partyCount: 3,
        parties: [
          { kind: 'person', name: names[0]!, idNumber: idNumbers[0] },
          { kind: 'organisation', name: `测试公司${n}` },
          { kind: 'person', name: names[1]!, idNumber: idNumbers[1] },
        ],
      },
    ),
    null,
  )
  await db
    .updateTable('cases')
    .set({ status, closed_at: dates.closed ?? null, archived_at: dates.archived ?? null })
    .where('id', '=', id)
    .execute()
  return { id, names, idNumbers }
}

function partiesOf(caseId: string) {
  return testDb()
    .selectFrom('case_parties')
    .select(['kind', 'name', 'id_number_enc', 'id_number_hash', 'id_number_masked'])
    .where('case_id', '=', caseId)
    .orderBy('sort')
    .execute()
}

async function purgedAt(caseId: string) {
  const row = await testDb().selectFrom('cases').select('parties_purged_at').where('id', '=', caseId).executeTakeFirstOrThrow()
  return row.parties_purged_at
}

async function expectPurged(made: Made, at = NOW.toISOString()) {
  const n = made.names[0]!.replace('张测试', '')
  expect(await partiesOf(made.id)).toEqual([
    { kind: 'person', name: '当事人1', id_number_enc: null, id_number_hash: null, id_number_masked: null },
    { kind: 'organisation', name: `测试公司${n}`, id_number_enc: null, id_number_hash: null, id_number_masked: null },
    { kind: 'person', name: '当事人3', id_number_enc: null, id_number_hash: null, id_number_masked: null },
  ])
  expect(await purgedAt(made.id)).toBe(at)
}

async function expectKept(made: Made) {
  const parties = await partiesOf(made.id)
  expect(parties.map((p) => p.name)).toEqual([made.names[0], expect.stringMatching(/^测试公司/), made.names[1]])
  const persons = parties.filter((p) => p.kind === 'person')
  for (const p of persons) {
    expect(p.id_number_enc).toBeTruthy()
    expect(p.id_number_hash).toBeTruthy()
    expect(p.id_number_masked).toMatch(/\*{8}/)
  }
  expect(await purgedAt(made.id)).toBeNull()
}

function run(options: { now?: Date; batchSize?: number; dryRun?: boolean } = {}) {
  return purgeDueParties(testDb(), { trigger: 'schedule', actor: SYSTEM_ACTOR, request: systemRequest(), now: NOW, ...options })
}

function purgeEntries() {
  return testDb()
    .selectFrom('audit_log')
    .select(['user_id', 'username', 'result', 'detail', 'record_type'])
    .where('action', '=', PURGE_ACTION)
    .orderBy('at')
    .orderBy('id')
    .execute()
}

beforeAll(async () => {
  world = await buildWorld(testDb())
})

describe(`party data retention purge (${testDialect()})`, () => {
  it('purges exactly the due cases: closed or archived past the period; open and recent cases keep their parties', async () => {
    const db = testDb()
    const closedDue = await makeCase('closed', { closed: monthsAgo(36, 1) })
    const archivedDue = await makeCase('archived', { closed: monthsAgo(40), archived: monthsAgo(30) })
    const archivedWithoutClosing = await makeCase('archived', { archived: monthsAgo(37) })
    const recent = await makeCase('closed', { closed: monthsAgo(35) })
    const justInside = await makeCase('closed', { closed: monthsAgo(36, -1) })
    const openOld = await makeCase('accepted')
    const concludedOld = await makeCase('succeeded', { closed: null })
    await db
      .updateTable('cases')
      .set({ registered_at: monthsAgo(60), concluded_at: monthsAgo(50) })
      .where('id', '=', concludedOld.id)
      .execute()
    const noDate = await makeCase('closed')
    // A partner's referral of a due case and of a recent one: only the due one loses its body hash.
    for (const [caseId, hash] of [
      [closedDue.id, 'a'.repeat(64)],
      [recent.id, 'b'.repeat(64)],
    ] as const) {
      await db
        .insertInto('api_referrals')
        .values({
          id: newId(),
          client_id: await clientId(),
          case_id: caseId,
          external_ref: `(2026)京0108民初${caseId.slice(-4)}号`,
          idempotency_key: newId(),
          created_at: NOW.toISOString(),
          request_hash: hash,
        })
        .execute()
    }

    expect(await countDue(db, retentionCutoff(NOW, 36))).toEqual({ cases: 3, persons: 6 })
    const result = await run()
    expect(result).toMatchObject({ cases: 3, persons: 6, referrals: 1, months: 36, cutoff: retentionCutoff(NOW, 36), dryRun: false })

    for (const made of [closedDue, archivedDue, archivedWithoutClosing]) await expectPurged(made)
    for (const made of [recent, justInside, openOld, concludedOld, noDate]) await expectKept(made)
    const hashes = await db
      .selectFrom('api_referrals')
      .select(['case_id', 'request_hash'])
      .where('case_id', 'in', [closedDue.id, recent.id])
      .execute()
    expect(Object.fromEntries(hashes.map((h) => [h.case_id, h.request_hash]))).toEqual({
      [closedDue.id]: null,
      [recent.id]: 'b'.repeat(64),
    })

    // The case record itself stays whole.
    const kept = await db
      .selectFrom('cases')
      .select(['title', 'status', 'party_count', 'closed_at'])
      .where('id', '=', closedDue.id)
      .executeTakeFirstOrThrow()
    expect(kept).toEqual({ title: expect.stringMatching(/^保存期限测试/), status: 'closed', party_count: 3, closed_at: monthsAgo(36, 1) })

    const entries = await purgeEntries()
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({ user_id: null, username: 'system:retention', result: 'ok', record_type: 'retention' })
    expect(JSON.parse(entries[0]!.detail!)).toEqual({
      trigger: 'schedule',
      months: 36,
      cutoff: retentionCutoff(NOW, 36),
      cases: 3,
      persons: 6,
      referrals: 1,
      batches: 1,
    })
    // Counts only: no name or number of any purged party reaches the log.
    const log = JSON.stringify(await db.selectFrom('audit_log').selectAll().execute())
    for (const made of [closedDue, archivedDue, archivedWithoutClosing]) {
      for (const secret of [...made.names, ...made.idNumbers]) expect(log).not.toContain(secret)
    }
  })

  it('is idempotent: a second run changes nothing and records a run with zero counts', async () => {
    const before = await testDb().selectFrom('case_parties').selectAll().orderBy('id').execute()
    const result = await run()
    expect(result).toMatchObject({ cases: 0, persons: 0, referrals: 0 })
    expect(await testDb().selectFrom('case_parties').selectAll().orderBy('id').execute()).toEqual(before)
    const entries = await purgeEntries()
    expect(JSON.parse(entries.at(-1)!.detail!)).toMatchObject({ cases: 0, persons: 0 })
  })

  it('a dry run counts what is due and changes nothing, not even the audit log', async () => {
    const due = [
      await makeCase('closed', { closed: monthsAgo(48) }),
      await makeCase('archived', { closed: monthsAgo(48), archived: monthsAgo(47) }),
    ]
    const entries = (await purgeEntries()).length
    expect(await run({ dryRun: true })).toMatchObject({ dryRun: true, cases: 2, persons: 4 })
    for (const made of due) await expectKept(made)
    expect(await purgeEntries()).toHaveLength(entries)
    // Drained for the next tests, in batches of one.
    expect(await run({ batchSize: 1 })).toMatchObject({ cases: 2, persons: 4, batches: 2 })
    for (const made of due) await expectPurged(made)
  })

  it('walks the due cases in small batches, one transaction each, and gets them all', async () => {
    const due = []
    for (let i = 0; i < 7; i++) due.push(await makeCase('closed', { closed: monthsAgo(40 + i) }))
    const result = await run({ batchSize: 3 })
    expect(result).toMatchObject({ cases: 7, persons: 14, batches: 3 })
    for (const made of due) await expectPurged(made)
  })

  it('follows the configured period, which refuses anything under six months', async () => {
    const db = testDb()
    const sevenMonths = await makeCase('closed', { closed: monthsAgo(7) })
    expect((await run()).cases).toBe(0)
    await expect(writeSetting(db, RETENTION_SETTINGS.partyDataMonths, 5, null)).rejects.toThrow()
    await writeSetting(db, RETENTION_SETTINGS.partyDataMonths, 6, null)
    try {
      // This case, and the two the first test found just inside 36 months.
      expect(await run()).toMatchObject({ cases: 3, months: 6 })
      await expectPurged(sevenMonths)
    } finally {
      await db.deleteFrom('settings').where('key', '=', RETENTION_SETTINGS.partyDataMonths.key).execute()
    }
  })

  it('two app servers purging at once process every due case exactly once between them', async () => {
    const due = []
    for (let i = 0; i < 12; i++)
      due.push(await makeCase(i % 2 ? 'archived' : 'closed', { closed: monthsAgo(50 + i), archived: i % 2 ? monthsAgo(49) : null }))
    // MariaDB: a second pool, as a second server would have, so the transactions really overlap.
    // SQLite: better-sqlite3 waits for a lock synchronously, blocking the one event loop both
    // "servers" share here, so they share the app's connection instead (their batches then
    // interleave between transactions); SQLite deployments run one app server anyway.
    const mysql = testDialect() === 'mysql'
    const other = mysql ? createDatabase(process.env.DATABASE_URL, { poolSize: 2 }) : testDb()
    try {
      const results = await Promise.all([
        purgeDueParties(testDb(), { trigger: 'schedule', actor: SYSTEM_ACTOR, request: systemRequest(), now: NOW, batchSize: 2 }),
        purgeDueParties(other, { trigger: 'schedule', actor: SYSTEM_ACTOR, request: systemRequest(), now: NOW, batchSize: 2 }),
      ])
      expect(results[0]!.cases + results[1]!.cases).toBe(12)
      expect(results[0]!.persons + results[1]!.persons).toBe(24)
    } finally {
      if (mysql) await other.destroy()
    }
    for (const made of due) await expectPurged(made)
  })
})

async function clientId(): Promise<string> {
  const existing = await testDb().selectFrom('api_clients').select('id').executeTakeFirst()
  if (existing) return existing.id
  const id = newId()
  const now = NOW.toISOString()
  await testDb()
    .insertInto('api_clients')
    .values({
      id,
      name: '海淀区人民法院（保存期限测试）',
      kind: 'court',
      region_code: '110108',
      scopes: '["cases:refer"]',
      secret_hash: 'x'.repeat(64),
      secret_hint: 'test',
      webhook_url: null,
      webhook_secret: null,
      rate_limit_per_minute: 60,
      status: 'active',
      last_used_at: null,
      version: 1,
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .execute()
  return id
}

describe(`/admin/retention (${testDialect()})`, () => {
  it('is for the system administrator only: others are refused in the loader and the action, and nothing is purged', async () => {
    const due = await makeCase('closed', { closed: monthsAgo(37) })
    for (const user of ['hdStaff', 'bjStaff', 'securityAdmin', 'auditor', 'hdManager', 'mediator'] as const) {
      const cookie = world.users[user].cookie
      expect((await call(loader, '/admin/retention', { cookie })).status, user).toBe(403)
      const lastRunId = (await recentRuns(testDb(), 1))[0]?.id ?? ''
      expect((await call(action, '/admin/retention', { cookie, form: { lastRunId } })).status, user).toBe(403)
    }
    await expectKept(due)
  })

  it('shows the setting, what is due and the last runs; "purge now" runs once even when submitted twice', async () => {
    const due = await makeCase('closed', { closed: monthsAgo(37) })
    const cookie = world.users.admin.cookie
    const page = await call(loader, '/admin/retention', { cookie })
    expect(page.status).toBe(200)
    const data = page.data as { months: number; due: { cases: number; persons: number }; runs: { id: string }[]; lastRunId: string }
    // The case above and the one the refused users could not purge.
    expect(data).toMatchObject({ months: 36, due: { cases: 2, persons: 4 } })
    expect(data.runs.length).toBeGreaterThan(0)
    expect(data.lastRunId).toBe(data.runs[0]!.id)

    const entries = (await purgeEntries()).length
    const first = await call(action, '/admin/retention', { cookie, form: { lastRunId: data.lastRunId } })
    expect(first.status).toBe(302)
    expect(first.location).toBe('/admin/retention')
    await expectPurged(due, (await purgedAt(due.id))!)
    // The same form again (double click, resubmitted refresh): no second run.
    const second = await call(action, '/admin/retention', { cookie, form: { lastRunId: data.lastRunId } })
    expect(second.status).toBe(302)
    const after = await purgeEntries()
    expect(after).toHaveLength(entries + 1)
    expect(after.at(-1)).toMatchObject({ user_id: world.users.admin.id, result: 'ok' })
    expect(JSON.parse(after.at(-1)!.detail!)).toMatchObject({ trigger: 'admin', cases: 2, persons: 4 })

    const runs = (await call(loader, '/admin/retention', { cookie })).data as {
      due: { cases: number }
      runs: { trigger: string; cases: number }[]
    }
    expect(runs.due.cases).toBe(0)
    expect(runs.runs[0]).toMatchObject({ trigger: 'admin', cases: 2 })
  })

  it('the case page says the parties were removed and sends neither names nor numbers', async () => {
    const purged = await makeCase('closed', { closed: monthsAgo(38) })
    await run()
    const outcome = await call(caseLoader, `/cases/${purged.id}`, { cookie: world.users.admin.cookie, params: { caseId: purged.id } })
    expect(outcome.status).toBe(200)
    const { kase } = outcome.data as { kase: { parties_purged_at: string | null; parties: { name: string; idMasked: string | null }[] } }
    expect(kase.parties_purged_at).toBe(NOW.toISOString())
    expect(kase.parties.map((p) => [p.name, p.idMasked])).toEqual([
      ['当事人1', null],
      [expect.stringMatching(/^测试公司/), null],
      ['当事人3', null],
    ])
    const body = serialized(outcome)
    for (const secret of [...purged.names, ...purged.idNumbers]) expect(body).not.toContain(secret)
  })
})
