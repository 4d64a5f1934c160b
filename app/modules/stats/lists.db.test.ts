/**
 * List exports read back cell by cell: the mediators register (masked ID numbers as text, full
 * numbers only for person:reveal and only within its reach, audited) and the review queue; each
 * with its title rows, 序号 and Chinese headers. The registers run as background jobs
 * (app/modules/jobs): posted, run by a worker, downloaded; the case and organisation lists, also
 * background jobs, are tested in app/modules/jobs/exports/lists.db.test.ts.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { action as registerAction, loader as registerLoader } from '#app/routes/_app.people.register[.xlsx].tsx'
import { loader as queueLoader } from '#app/routes/_app.library.submissions[.xlsx].tsx'
import { action as expertRegisterAction } from '#app/routes/_app.experts.register[.xlsx].tsx'
import { loader as eventLoader } from '#app/routes/_app.drills.events.$eventId[.xlsx].tsx'
import { newId } from '#app/lib/ids.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { makeRequest } from '#tests/fixtures/request.ts'
import { exportThroughJob } from '#tests/jobs/exports.ts'
import { call } from '#tests/security/world.ts'
import { type StatsWorld, buildStatsWorld } from '#tests/stats/world.ts'

let world: StatsWorld
let uploads: string
beforeAll(async () => {
  uploads = fs.mkdtempSync(path.join(os.tmpdir(), 'tiaojie-list-exports-'))
  process.env.TIAOJIE_UPLOAD_DIR = uploads
  world = await buildStatsWorld(testDb())
})
afterAll(() => {
  Reflect.deleteProperty(process.env, 'TIAOJIE_UPLOAD_DIR')
  fs.rmSync(uploads, { recursive: true, force: true })
})

type Handler = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>

async function sheetOf(handler: unknown, path: string, user: keyof StatsWorld['users'], form?: Record<string, string>) {
  const response = (await (handler as Handler)({
    request: makeRequest(path, { cookie: world.users[user].cookie, ...(form ? { form } : {}) }),
    params: {},
    context: {},
  })) as Response
  return sheetOfResponse(response)
}

/** A register: started by posting the list's button, run by the export worker, downloaded. */
async function registerSheetOf(action: unknown, path: string, user: keyof StatsWorld['users'], form: Record<string, string> = {}) {
  const { response } = await exportThroughJob(action, path, { cookie: world.users[user].cookie, form })
  return sheetOfResponse(response)
}

async function sheetOfResponse(response: Response) {
  expect(response.headers.get('Content-Type')).toContain('spreadsheetml')
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(await response.arrayBuffer())
  const sheet = workbook.worksheets[0]!
  // Three title lines (title, filter, time and user), then the header row.
  const headers = (sheet.getRow(4).values as unknown[]).slice(1) as string[]
  const rows: ExcelJS.Row[] = []
  sheet.eachRow((row, n) => {
    if (n > 4) rows.push(row)
  })
  const col = (header: string) => headers.indexOf(header) + 1
  return { sheet, headers, rows, col, disposition: response.headers.get('Content-Disposition') ?? '' }
}

async function lastAudit(action: string, userId: string) {
  const rows = await testDb()
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .where('user_id', '=', userId)
    .orderBy('at', 'desc')
    .execute()
  return rows[0]
}

describe(`list exports (${testDialect()})`, () => {
  it('mediators register: filters, 序号, masked ID numbers as text, title rows; audited', async () => {
    const { sheet, headers, rows, col, disposition } = await registerSheetOf(
      registerAction,
      `/people/register.xlsx?org=${world.orgs.hdCommittee}`,
      'hdStaff',
    )
    expect(disposition).toContain(encodeURIComponent('调解员名册'))
    expect(String(sheet.getCell('A1').value)).toBe('人民调解员名册')
    expect(String(sheet.getCell('A2').value)).toBe('筛选条件：组织 海淀测试调委会')
    expect(String(sheet.getCell('A3').value)).toMatch(/^导出时间：.*导出人：.*（t\.hdstaff）$/)
    expect(headers.slice(0, 6)).toEqual(['序号', '姓名', '性别', '出生日期', '身份证号', '手机号'])
    const { hdMediator, hdMediator2 } = world.people
    expect(rows.map((r) => r.getCell(col('姓名')).value).sort()).toEqual([hdMediator.name, hdMediator2.name].sort())
    expect(rows.map((r) => r.getCell(1).value)).toEqual([1, 2])
    const row = rows.find((r) => r.getCell(col('姓名')).value === hdMediator.name)!
    const idCell = row.getCell(col('身份证号'))
    expect(idCell.value).toBe(hdMediator.id_number_masked)
    expect(typeof idCell.value).toBe('string')
    expect(idCell.numFmt).toBe('@')
    expect(String(idCell.value)).not.toBe(hdMediator.idNumber)
    expect(row.getCell(col('专兼职')).value).toBe('专职')
    const event = await lastAudit('people.register_export', world.users.hdStaff.id)
    expect(JSON.parse(event!.detail!)).toMatchObject({ filter: { org: world.orgs.hdCommittee }, count: 2, full: false, revealed: 0 })
  })

  it('full numbers only for person:reveal, only within its reach, audited without the numbers', async () => {
    const { rows, col } = await registerSheetOf(registerAction, '/people/register.xlsx', 'hdStaff', { full: '1' })
    const { hdMediator, cyMediator } = world.people
    const mine = rows.find((r) => r.getCell(col('姓名')).value === hdMediator.name)!
    expect(mine.getCell(col('身份证号')).value).toBe(hdMediator.idNumber)
    expect(mine.getCell(col('身份证号')).numFmt).toBe('@')
    // A Chaoyang mediator is outside a Haidian bureau's list altogether.
    expect(rows.some((r) => r.getCell(col('姓名')).value === cyMediator.name)).toBe(false)
    const event = await lastAudit('people.register_export', world.users.hdStaff.id)
    expect(JSON.parse(event!.detail!)).toMatchObject({ full: true, count: 3, revealed: 3 })
    expect(event!.detail).not.toContain(hdMediator.idNumber!)
    // An organisation manager may list but not reveal: refused, nothing written.
    const refused = await call(registerAction, '/people/register.xlsx', { cookie: world.users.hdManager.cookie, form: { full: '1' } })
    expect(refused.status).toBe(403)
    expect(await lastAudit('people.register_export', world.users.hdManager.id)).toBeUndefined()
    expect((await call(registerLoader, '/people/register.xlsx', { cookie: world.users.expert.cookie })).status).toBe(403)
    expect((await call(registerAction, '/people/register.xlsx', { cookie: world.users.expert.cookie, form: {} })).status).toBe(403)
  })

  // The case and organisation lists run as background jobs: app/modules/jobs/exports/lists.db.test.ts.
  it('the review queue, in the reviewer’s scope', async () => {
    const queue = await sheetOf(queueLoader, '/library/submissions.xlsx', 'hdStaff')
    expect(queue.rows.map((r) => r.getCell(queue.col('标题')).value)).toEqual(['评审中的案例'])
    expect((await call(queueLoader, '/library/submissions.xlsx', { cookie: world.users.mediator.cookie })).status).toBe(403)
  })

  it('experts register: the roster export of experts in office', async () => {
    const { response } = await exportThroughJob(expertRegisterAction, '/experts/register.xlsx', { cookie: world.users.hdStaff.cookie })
    expect(response.headers.get('Content-Disposition')).toContain(encodeURIComponent('专家名册'))
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(await response.arrayBuffer())
    const sheet = workbook.worksheets[0]!
    const headers = (sheet.getRow(1).values as unknown[]).slice(1)
    const status = headers.indexOf('状态') + 1
    const statuses: unknown[] = []
    sheet.eachRow((row, n) => {
      if (n > 1) statuses.push(row.getCell(status).value)
    })
    // Haidian's two active district experts plus the municipal one above it; the suspended one is left out.
    expect(statuses).toEqual(['在库', '在库', '在库'])
  })

  // Reading the drill titles compiles the drill content once (slow on a busy machine).
  it('drill event results: ranked names and scores for the staff who manage the event only', { timeout: 90_000 }, async () => {
    const eventId = newId()
    const at = '2026-06-01T00:00:00.000Z'
    await testDb()
      .insertInto('drill_events')
      .values({
        id: eventId,
        title: '海淀练兵比武',
        slugs: JSON.stringify(['quiz-stats']),
        region_code: '110108',
        org_id: null,
        starts_at: at,
        ends_at: '2026-06-30T00:00:00.000Z',
        created_by: null,
        created_at: at,
        version: 1,
      })
      .execute()
    await testDb()
      .updateTable('drill_attempts')
      .set({ event_id: eventId })
      .where('drill_slug', '=', 'quiz-stats')
      .where('region_code', '=', '110108')
      .execute()
    const response = (await eventLoader({
      request: makeRequest(`/drills/events/${eventId}.xlsx`, { cookie: world.users.hdStaff.cookie }),
      params: { eventId },
      context: {},
    })) as Response
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(await response.arrayBuffer())
    const people = workbook.getWorksheet('个人成绩')!
    expect(String(people.getCell('A1').value)).toBe('海淀练兵比武 · 个人成绩')
    expect((people.getRow(4).values as unknown[]).slice(1, 6)).toEqual(['序号', '名次', '姓名', '所在组织', '总成绩'])
    // Best scores: hdMediator 100 (of 100 and 0), hdMediator2 50, hdOther 50.
    expect(people.getRow(5).getCell(3).value).toBe(world.people.hdMediator.name)
    expect(people.getRow(5).getCell(5).value).toBe(100)
    expect([people.getRow(6).getCell(5).value, people.getRow(7).getCell(5).value]).toEqual([50, 50])
    expect((await lastAudit('drills.event_export', world.users.hdStaff.id))?.record_id).toBe(eventId)
    // Chaoyang's bureau manages drills elsewhere: out of scope, logged.
    const refused = await call(eventLoader, `/drills/events/${eventId}.xlsx`, { cookie: world.users.cyStaff.cookie, params: { eventId } })
    expect(refused.status).toBe(404)
  })
})
