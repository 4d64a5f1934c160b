/**
 * A record's history page (/audit/record/$type/$id) and the audit log's .xlsx export: who may
 * read which history (auditors everything; a record's managers its successful entries without
 * addresses; everyone else 403/404, logged), before/after as written, and the export read back
 * cell by cell and itself audited.
 */
import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import * as exportRoute from '#app/routes/_app.audit[.xlsx].tsx'
import * as historyRoute from '#app/routes/_app.audit.record.$type.$id.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { makeRequest } from '#tests/fixtures/request.ts'
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
  const person = world.people.hdMediator.id
  const row = (at: string, action: string, result: 'ok' | 'denied', detail: unknown, username = 't.hdstaff') => ({
    id: newId(),
    at,
    user_id: null,
    username,
    roles: 'bureau_staff',
    scope: '110108',
    ip: '10.1.2.3',
    action,
    record_type: 'person',
    record_id: person,
    result,
    detail: JSON.stringify(detail),
  })
  await testDb()
    .insertInto('audit_log')
    .values([
      row('2026-11-01T01:00:00.000Z', 'person.create', 'ok', { after: { name: '张三', phone: '138****0001' } }),
      row('2026-11-02T01:00:00.000Z', 'person.update', 'ok', { before: { name: '张三' }, after: { name: '张三丰' }, reason: '更正' }),
      row('2026-11-03T01:00:00.000Z', 'authz.out_of_scope', 'denied', { permission: 'person:view' }, 't.cystaff'),
      // Another record's entry never shows here.
      {
        ...row('2026-11-04T01:00:00.000Z', 'person.update', 'ok', { before: { name: 'x' }, after: { name: 'y' } }),
        record_id: world.people.cyMediator.id,
      },
    ])
    .execute()
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

describe(`audit log export (${testDialect()})`, () => {
  async function download(user: WorldUser, query: string) {
    return exportRoute.loader({
      request: makeRequest(`/audit.xlsx${query}`, { cookie: world.users[user].cookie }),
      params: {},
      context: {},
    })
  }

  it('exports the filtered log with title lines and 序号, reads back cell by cell, and is audited', async () => {
    const response = await download('auditor', `?recordType=person&recordId=${world.people.hdMediator.id}&result=ok`)
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toContain('spreadsheetml')
    expect(response.headers.get('Content-Disposition')).toContain('.xlsx')
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(await response.arrayBuffer())
    const sheet = book.worksheets[0]!
    const text = (row: number, col: number) => String(sheet.getRow(row).getCell(col).value ?? '')
    expect(text(1, 1)).toBe('审计日志')
    expect(text(2, 1)).toContain(`对象编号 ${world.people.hdMediator.id}`)
    expect(text(2, 1)).toContain('结果 成功')
    expect(text(3, 1)).toContain('t.auditor')
    expect(text(4, 1)).toBe('共 2 条')
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((c) => text(5, c))).toEqual([
      '序号',
      '时间',
      '用户',
      '角色',
      '网络地址',
      '操作',
      '操作代码',
      '对象类型',
      '对象编号',
      '结果',
      '详情',
    ])
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((c) => text(6, c))).toEqual([
      '1',
      '2026-11-02 09:00:00',
      't.hdstaff',
      '司法行政工作人员',
      '10.1.2.3',
      '修改人员信息',
      'person.update',
      '人员',
      world.people.hdMediator.id,
      '成功',
      '{"before":{"name":"张三"},"after":{"name":"张三丰"},"reason":"更正"}',
    ])
    expect(text(7, 7)).toBe('person.create')
    expect(sheet.getRow(6).getCell(9).numFmt).toBe('@')
    expect(text(8, 1)).toBe('')
    const audited = await testDb().selectFrom('audit_log').selectAll().where('action', '=', 'audit.exported').execute()
    expect(audited).toHaveLength(1)
    expect(audited[0]).toMatchObject({ username: 't.auditor', result: 'ok', record_type: 'audit_log' })
    expect(JSON.parse(audited[0]!.detail!)).toMatchObject({ rows: 2, total: 2, filters: { recordType: 'person', result: 'ok' } })
  })

  it('is for auditors and security administrators only', async () => {
    for (const user of ['admin', 'hdStaff', 'mediator'] as const) {
      const outcome = await call(exportRoute.loader, '/audit.xlsx', { cookie: world.users[user].cookie })
      expect(outcome.status, user).toBe(403)
    }
  })
})
