/**
 * A record's history page (/audit/record/$type/$id): who may read which history (auditors
 * everything; a record's managers its successful entries without addresses; everyone else
 * 403/404, logged), before/after as written. The audit log's .xlsx export is a background job:
 * app/modules/jobs/exports/audit.db.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import * as historyRoute from '#app/routes/_app.audit.record.$type.$id.tsx'
import { insertPersonHistory } from '#tests/audit/person-history.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { type World, type WorldUser, buildWorld, call } from '#tests/security/world.ts'

let world: World

interface Entry {
  action: string
  username: string | null
  result: string
  ip: string | null
  changes: { field: string; before: string; after: string }[]
  note: string | null
}

function history(user: WorldUser, type: string, id: string, query = '') {
  return call(historyRoute.loader, `/audit/record/${type}/${id}${query}`, { cookie: world.users[user].cookie, params: { type, id } })
}

const entries = (outcome: { data: unknown }) => (outcome.data as { entries: Entry[] }).entries

beforeAll(async () => {
  world = await buildWorld(testDb())
  await insertPersonHistory(testDb(), world)
})

describe(`record history (${testDialect()})`, () => {
  it('shows auditors every entry about the record, newest first, with before and after and addresses', async () => {
    const outcome = await history('auditor', 'person', world.people.hdMediator.id)
    expect(outcome.status).toBe(200)
    const list = entries(outcome)
    expect(list.map((e) => e.action)).toEqual(['authz.out_of_scope', 'person.update', 'person.create'])
    expect(list[1]).toMatchObject({
      username: 't.hdstaff',
      ip: '10.1.2.3',
      changes: [{ field: 'name', before: '张三', after: '张三丰' }],
      note: '{\n  "reason": "更正"\n}',
    })
    expect(list[2]!.changes).toEqual([
      { field: 'name', before: '—', after: '张三' },
      { field: 'phone', before: '—', after: '138****0001' },
    ])
    expect((outcome.data as { full: boolean }).full).toBe(true)
  })

  it("shows the record's managers the successful entries only, without addresses", async () => {
    for (const user of ['hdStaff', 'hdManager', 'admin'] as const) {
      const outcome = await history(user, 'person', world.people.hdMediator.id)
      expect(outcome.status, user).toBe(200)
      const list = entries(outcome)
      expect(
        list.map((e) => e.action),
        user,
      ).toEqual(['person.update', 'person.create'])
      expect(list.every((e) => e.ip === null)).toBe(true)
    }
  })

  it('refuses others: out of scope 404 and logged, no edit permission 403, other record types auditors only', async () => {
    const before = await testDb().selectFrom('audit_log').select('id').where('action', '=', 'authz.out_of_scope').execute()
    expect((await history('cyStaff', 'person', world.people.hdMediator.id)).status).toBe(404)
    const after = await testDb().selectFrom('audit_log').select('id').where('action', '=', 'authz.out_of_scope').execute()
    expect(after.length).toBe(before.length + 1)
    expect((await history('mediator', 'person', world.people.hdMediator.id)).status).toBe(403)
    expect((await history('hdAssoc', 'person', world.people.hdMediator.id)).status).toBe(403)
    expect((await history('hdStaff', 'user', world.users.mediator.id)).status).toBe(403)
    expect((await history('auditor', 'user', world.users.mediator.id)).status).toBe(200)
    expect((await history('hdStaff', 'person', newId())).status).toBe(404)
    expect((await history('auditor', 'Bad Type', 'x')).status).toBe(404)
  })

  it('lets an organisation manager of the right kind read the organisation history', async () => {
    expect((await history('hdStaff', 'organisation', world.orgs.hdCommittee)).status).toBe(200)
    expect((await history('cyStaff', 'organisation', world.orgs.hdCommittee)).status).toBe(404)
    // Committee managers may not edit organisations (org:edit), so not read their history either.
    expect((await history('hdManager', 'organisation', world.orgs.hdCommittee)).status).toBe(403)
  })
})
