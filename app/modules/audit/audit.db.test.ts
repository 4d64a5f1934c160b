import { beforeAll, describe, expect, it } from 'vitest'
import * as auditRoute from '#app/routes/_app.audit.tsx'
import { newId } from '#app/lib/ids.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { type World, type WorldUser, buildWorld, call } from '#tests/security/world.ts'
import type { AuditRow } from './audit-log.server.ts'

let world: World

const base = {
  user_id: null,
  username: null,
  roles: null,
  scope: null,
  ip: '10.0.0.9',
  record_type: null,
  record_id: null,
  result: 'ok' as const,
  detail: null,
}

beforeAll(async () => {
  world = await buildWorld(testDb())
  // Fixed rows around the China-time boundary of 23 November 2026 (00:00 CST = 22 Nov 16:00 UTC).
  await testDb()
    .insertInto('audit_log')
    .values([
      { ...base, id: newId(), at: '2026-11-22T15:59:59.000Z', action: 'auth.sign_in', username: 'zz.early', roles: 'bureau_staff' },
      {
        ...base,
        id: newId(),
        at: '2026-11-22T16:00:00.000Z',
        action: 'person.reveal',
        username: 'zz.staff',
        roles: 'bureau_staff,mediator',
        record_type: 'person',
        record_id: 'P-REVEALED',
        detail: JSON.stringify({ field: 'idNumber', masked: '110108********1234' }),
      },
      { ...base, id: newId(), at: '2026-11-23T15:59:59.999Z', action: 'authz.out_of_scope', username: 'zz.staff', result: 'denied' },
      { ...base, id: newId(), at: '2026-11-23T16:00:00.000Z', action: 'custom.thing', username: 'zz.late' },
    ])
    .execute()
})

const cookie = (user: WorldUser) => world.users[user].cookie

async function view(user: WorldUser, query = '') {
  return call(auditRoute.loader, `/audit${query}`, { cookie: cookie(user) })
}

function rows(outcome: { data: unknown }): AuditRow[] {
  return (outcome.data as { rows: AuditRow[] }).rows
}

describe(`audit log page (${testDialect()})`, () => {
  it('is for auditors and security administrators only (not even the system administrator)', async () => {
    expect((await view('auditor')).status).toBe(200)
    expect((await view('securityAdmin')).status).toBe(200)
    for (const user of ['admin', 'bjStaff', 'hdManager', 'mediator', 'noGrants'] as const) {
      const outcome = await view(user)
      expect(outcome.status, user).toBe(403)
      expect(outcome.data).toBeNull()
    }
  })

  it('has no action: the log cannot be changed through the app, nor in the database', async () => {
    expect('action' in auditRoute).toBe(false)
    const db = testDb()
    await expect(db.updateTable('audit_log').set({ result: 'ok' }).where('username', '=', 'zz.late').execute()).rejects.toThrow(
      /append-only/,
    )
    await expect(db.deleteFrom('audit_log').where('username', '=', 'zz.late').execute()).rejects.toThrow(/append-only/)
  })

  it('lists newest first with readable detail', async () => {
    const outcome = await view('auditor', '?user=zz.')
    const list = rows(outcome)
    expect(list.map((r) => r.username)).toEqual(['zz.late', 'zz.staff', 'zz.staff', 'zz.early'])
    const reveal = list.find((r) => r.action === 'person.reveal')!
    expect(reveal).toMatchObject({ roles: ['bureau_staff', 'mediator'], recordType: 'person', recordId: 'P-REVEALED', ip: '10.0.0.9' })
    expect(reveal.detail).toBe('{\n  "field": "idNumber",\n  "masked": "110108********1234"\n}')
    const oldest = await view('auditor', '?user=zz.&dir=asc')
    expect(rows(oldest)[0]!.username).toBe('zz.early')
  })

  it('filters by China-time days, action, result, user and record', async () => {
    const day = await view('auditor', '?from=2026-11-23&to=2026-11-23')
    expect(rows(day).map((r) => r.action)).toEqual(['authz.out_of_scope', 'person.reveal'])
    expect(rows(await view('auditor', '?action=person.reveal')).map((r) => r.recordId)).toEqual(['P-REVEALED'])
    expect(rows(await view('auditor', '?result=denied&user=zz.')).map((r) => r.action)).toEqual(['authz.out_of_scope'])
    expect(rows(await view('auditor', '?recordType=person&recordId=P-REVEALED'))).toHaveLength(1)
    expect(rows(await view('auditor', '?user=ZZ.LATE')).map((r) => r.username)).toEqual(['zz.late'])
  })

  it('shows what the app itself records, such as out-of-scope attempts', async () => {
    const target = world.people.cyMediator.id
    await call((await import('#app/routes/_app.people.$personId.tsx')).loader, `/people/${target}`, {
      cookie: cookie('hdStaff'),
      params: { personId: target },
    })
    const found = rows(await view('auditor', `?action=authz.out_of_scope&recordId=${target}`))
    expect(found).toHaveLength(1)
    expect(found[0]).toMatchObject({ username: 't.hdstaff', roles: ['bureau_staff'], result: 'denied', recordType: 'person' })
  })

  it('pages by keyset with a total: forward, back and first, without gaps or repeats', async () => {
    // 45 more entries, 30 of them in the same millisecond, so pages break inside a tie on `at`.
    await testDb()
      .insertInto('audit_log')
      .values(
        Array.from({ length: 45 }, (_, i) => ({
          ...base,
          id: newId(),
          at: i < 30 ? '2026-10-01T00:00:00.000Z' : `2026-10-02T00:00:${String(i).padStart(2, '0')}.000Z`,
          action: 'paging.test',
        })),
      )
      .execute()
    const first = await view('auditor', '?size=20')
    const data = first.data as { total: number; pages: { first: string | null; previous: string | null; next: string | null } }
    expect(data.total).toBeGreaterThan(20)
    expect(data.pages.first).toBeNull()
    expect(data.pages.previous).toBeNull()
    const seen = rows(first).map((r) => r.id)
    let next = data.pages.next
    const pages: { previous: string | null }[] = []
    while (next) {
      const page = await view('auditor', next)
      const d = page.data as { rows: AuditRow[]; pages: { first: string | null; previous: string | null; next: string | null } }
      expect(d.pages.first).toBe('?size=20')
      seen.push(...d.rows.map((r) => r.id))
      pages.push(d.pages)
      next = d.pages.next
    }
    expect(seen).toHaveLength(data.total)
    expect(new Set(seen).size).toBe(data.total)
    const ordered = (await testDb().selectFrom('audit_log').select('id').orderBy('at', 'desc').orderBy('id', 'desc').execute()).map(
      (r) => r.id,
    )
    expect(seen).toEqual(ordered)
    // Going back from the second page gives the first page again.
    const back = await view('auditor', pages[0]!.previous!)
    expect(rows(back).map((r) => r.id)).toEqual(seen.slice(0, 20))
    expect((back.data as { pages: { previous: string | null } }).pages.previous).toBeNull()
  })

  it('ignores a malformed cursor (first page) rather than failing', async () => {
    const outcome = await view('auditor', "?size=20&after=2026-11-23'--~x")
    expect(outcome.status).toBe(200)
    expect(rows(outcome)).toHaveLength(20)
  })
})
