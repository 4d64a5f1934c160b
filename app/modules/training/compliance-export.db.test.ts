/** The compliance report exported as .xlsx: the same lines as the page, in scope, audited, not cached. */
import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import { todayInChina } from '#app/lib/time.ts'
import * as complianceRoute from '#app/routes/_app.training.compliance.tsx'
import * as exportRoute from '#app/routes/_app.training.compliance[.xlsx].tsx'
import * as plansRoute from '#app/routes/_app.training.plans.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { makeRequest } from '#tests/fixtures/request.ts'
import { buildWorld, call, HAIDIAN, type World } from '#tests/security/world.ts'

let world: World
const YEAR = Number(todayInChina().slice(0, 4))

async function addRecord(personId: string, tenths: number, kind: 'pre_service' | 'annual', year = YEAR) {
  const id = newId()
  await testDb()
    .insertInto('training_records')
    .values({
      id,
      person_id: personId,
      source: 'external',
      completion_key: `test:${id}`,
      course_slug: null,
      session_id: null,
      title: '测试培训',
      kind,
      format: 'classroom',
      organiser: null,
      hours_tenths: tenths,
      year,
      completed_on: `${year}-06-01`,
      assessment: null,
      status: 'approved',
      created_at: new Date().toISOString(),
      created_by: null,
    })
    .execute()
}

async function download(path: string, cookie: string) {
  const response = await exportRoute.loader({ request: makeRequest(path, { cookie }), params: {}, context: {} })
  return response
}

async function rowsOf(response: Response): Promise<unknown[][]> {
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(await response.arrayBuffer())
  return book.worksheets[0]!.getSheetValues()
    .filter(Array.isArray)
    .map((row) => (row as unknown[]).slice(1))
}

beforeAll(async () => {
  world = await buildWorld(testDb())
  await addRecord(world.people.hdMediator.id, 240, 'pre_service', YEAR - 2)
  await addRecord(world.people.hdMediator.id, 300, 'annual')
  await addRecord(world.people.hdMediator2.id, 200, 'annual')
  const created = await call(plansRoute.action, '/training/plans', {
    cookie: world.users.hdStaff.cookie,
    form: { year: String(YEAR), regionCode: HAIDIAN, fullTimeHours: '40', partTimeHours: '20', sectorHours: '30', preServiceMonths: '3' },
  })
  expect(created.status).toBe(302)
})

describe(`compliance export (${testDialect()})`, () => {
  it('exports the summary in scope, as the page shows it, audited and not cached', async () => {
    const page = await call(complianceRoute.loader, `/training/compliance?year=${YEAR}`, { cookie: world.users.hdStaff.cookie })
    const lines = (page.data as { summary: { orgName: string; mediators: number; behind: number; preServiceOverdue: number }[] }).summary

    const response = await download(`/training/compliance.xlsx?year=${YEAR}`, world.users.hdStaff.cookie)
    expect(response.status).toBe(200)
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    expect(response.headers.get('Content-Type')).toContain('spreadsheetml')
    expect(response.headers.get('Content-Disposition')).toContain(encodeURIComponent(`培训达标情况-${YEAR}.xlsx`))
    const rows = await rowsOf(response)
    expect(rows[0]).toEqual(['调解组织', '调解员人数', '未达标人数', '岗前培训逾期人数'])
    expect(rows.slice(1)).toEqual(lines.map((l) => [l.orgName, l.mediators, l.behind, l.preServiceOverdue]))
    expect(rows.length).toBeGreaterThan(1)

    const cy = await rowsOf(await download(`/training/compliance.xlsx?year=${YEAR}`, world.users.cyStaff.cookie))
    const hdName = (
      await testDb().selectFrom('organisations').select('name').where('id', '=', world.orgs.hdCommittee).executeTakeFirstOrThrow()
    ).name
    expect(cy.map((r) => r[0])).not.toContain(hdName)

    const logged = await testDb()
      .selectFrom('audit_log')
      .select(['user_id', 'detail'])
      .where('action', '=', 'training.compliance_exported')
      .where('user_id', '=', world.users.hdStaff.id)
      .execute()
    expect(logged).toHaveLength(1)
    expect(JSON.parse(logged[0]!.detail!)).toMatchObject({ year: YEAR, rows: lines.length })
  })

  it('exports one organisation’s mediators, names only (no personal numbers)', async () => {
    const response = await download(`/training/compliance.xlsx?year=${YEAR}&org=${world.orgs.hdCommittee}`, world.users.hdManager.cookie)
    expect(response.status).toBe(200)
    const rows = await rowsOf(response)
    expect(rows[0]).toEqual(['调解组织', '名称', '类别', '应修学时', '已获学时', '尚缺学时', '是否达标', '岗前培训'])
    const byName = new Map(rows.slice(1).map((r) => [r[1], r]))
    expect(byName.get(world.people.hdMediator.name)?.slice(2)).toEqual(['专职调解员', 40, 30, 10, '未达标', '已完成'])
    expect(byName.get(world.people.hdMediator2.name)?.slice(3, 7)).toEqual([20, 20, 0, '未达标'])
    const text = JSON.stringify(rows)
    for (const person of [world.people.hdMediator, world.people.hdMediator2]) {
      if (person.idNumber) expect(text).not.toContain(person.idNumber)
      if (person.phone) expect(text).not.toContain(person.phone)
    }
    const logged = await testDb()
      .selectFrom('audit_log')
      .select(['record_type', 'record_id'])
      .where('action', '=', 'training.compliance_exported')
      .where('user_id', '=', world.users.hdManager.id)
      .execute()
    expect(logged).toEqual([{ record_type: 'organisation', record_id: world.orgs.hdCommittee }])
  })

  it('answers 404 for an organisation out of scope and 403 to mediators, exporting nothing', async () => {
    const foreign = await call(exportRoute.loader, `/training/compliance.xlsx?org=${world.orgs.hdCommittee}`, {
      cookie: world.users.cyStaff.cookie,
    })
    expect(foreign.status).toBe(404)
    const mediator = await call(exportRoute.loader, '/training/compliance.xlsx', { cookie: world.users.mediator.cookie })
    expect(mediator.status).toBe(403)
    const logged = await testDb()
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'training.compliance_exported')
      .where('user_id', 'in', [world.users.cyStaff.id, world.users.mediator.id])
      .execute()
    // cyStaff's one summary export in the first test; nothing for the refused requests.
    expect(logged).toHaveLength(1)
  })
})
