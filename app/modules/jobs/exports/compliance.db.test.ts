/**
 * 培训达标情况 as a background export (both dialects): posted from /training/compliance, the
 * summary per organisation in scope or one organisation's mediators, the same lines as the page,
 * read back cell by cell, audited at download; training:manage with access to the organisation,
 * checked when the job is created, when the worker starts it and at download; a cancelled run
 * leaves no file.
 */
import ExcelJS from 'exceljs'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { todayInChina } from '#app/lib/time.ts'
import { loader as newLoader } from '#app/routes/_app.exports.new.tsx'
import * as complianceRoute from '#app/routes/_app.training.compliance.tsx'
import { action as exportAction, loader as exportLoader } from '#app/routes/_app.training.compliance[.xlsx].tsx'
import * as plansRoute from '#app/routes/_app.training.plans.tsx'
import { createUser } from '#db/seed/factories.ts'
import { createTrainingRecord } from '#tests/fixtures/factories.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { downloadJob, expectCancelLeavesNoFile, exportThroughJob, startExportJob, useTempUploadDir } from '#tests/jobs/exports.ts'
import { HAIDIAN, type World, buildWorld, call, cookieFor } from '#tests/security/world.ts'
import { runNextJob } from '../runner.server.ts'

let world: World
const YEAR = Number(todayInChina().slice(0, 4))

async function addRecord(personId: string, tenths: number, kind: 'pre_service' | 'annual', year = YEAR) {
  await createTrainingRecord(testDb(), { person_id: personId, hours_tenths: tenths, kind, year })
}

async function rowsOf(response: Response): Promise<{ name: string; rows: unknown[][] }> {
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(await response.arrayBuffer())
  const sheet = book.worksheets[0]!
  return {
    name: sheet.name,
    rows: sheet
      .getSheetValues()
      .filter(Array.isArray)
      .map((row) => (row as unknown[]).slice(1)),
  }
}

const job = (id: string) => testDb().selectFrom('background_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const exportEvents = (userId: string) =>
  testDb()
    .selectFrom('audit_log')
    .select(['record_type', 'record_id', 'detail'])
    .where('action', '=', 'training.compliance_exported')
    .where('user_id', '=', userId)
    .execute()

useTempUploadDir('tiaojie-compliance-export-')

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

beforeEach(async () => {
  await testDb().deleteFrom('background_jobs').execute()
})

describe(`compliance export job (${testDialect()})`, () => {
  it('exports the summary in scope as the page shows it, in batches, audited at download', async () => {
    const page = await call(complianceRoute.loader, `/training/compliance?year=${YEAR}`, { cookie: world.users.hdStaff.cookie })
    const lines = (page.data as { summary: { orgName: string; mediators: number; behind: number; preServiceOverdue: number }[] }).summary
    expect(lines.length).toBeGreaterThan(1)

    const progress: [number, number | null][] = []
    const { jobId, response } = await exportThroughJob(
      exportAction,
      `/training/compliance.xlsx?year=${YEAR}`,
      { cookie: world.users.hdStaff.cookie },
      {
        batchSize: 1,
        afterBatch: async (j) => {
          const row = await job(j.id)
          progress.push([row.progress_done, row.progress_total])
        },
      },
    )
    expect(progress).toEqual(lines.map((_, i) => [i + 1, lines.length]))
    expect(JSON.parse((await job(jobId)).params)).toEqual({ year: YEAR, org: null, orgPath: null, locale: 'zh-CN', full: false })
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    expect(response.headers.get('Content-Disposition')).toContain(encodeURIComponent(`培训达标情况-${YEAR}.xlsx`))
    const { name, rows } = await rowsOf(response)
    expect(name).toBe(`${YEAR}年培训达标情况`)
    expect(rows[0]).toEqual(['调解组织', '调解员人数', '未达标人数', '岗前培训逾期人数'])
    expect(rows.slice(1)).toEqual(lines.map((l) => [l.orgName, l.mediators, l.behind, l.preServiceOverdue]))
    // Known values: both Haidian mediators of the committee are behind (30 of 40 hours, 20 of 20 but no pre-service).
    expect(rows.find((r) => r[0] === '海淀测试调委会')).toEqual(['海淀测试调委会', 2, 2, 1])

    const events = await exportEvents(world.users.hdStaff.id)
    expect(events).toHaveLength(1)
    expect(events[0]!.record_type).toBe('training_compliance')
    expect(JSON.parse(events[0]!.detail!)).toEqual({ year: YEAR, rows: lines.length, job: jobId })

    // Another district's staff: their own organisations only.
    const cy = await exportThroughJob(exportAction, `/training/compliance.xlsx?year=${YEAR}`, { cookie: world.users.cyStaff.cookie })
    const cyRows = (await rowsOf(cy.response)).rows
    expect(cyRows.map((r) => r[0])).toEqual(['调解组织', '朝阳测试调委会'])
  })

  it('exports one organisation’s mediators, names only (no personal numbers), in the language it was started in', async () => {
    const { jobId, response } = await exportThroughJob(
      exportAction,
      // A region path in the query is not believed: the route looks the organisation up.
      `/training/compliance.xlsx?year=${YEAR}&org=${world.orgs.hdCommittee}&orgPath=/110000/110105/`,
      { cookie: world.users.hdManager.cookie },
    )
    const params = JSON.parse((await job(jobId)).params)
    expect(params).toMatchObject({ year: YEAR, org: world.orgs.hdCommittee, locale: 'zh-CN' })
    expect(params.orgPath).toMatch(new RegExp(`/${HAIDIAN}/$`))
    expect(response.headers.get('Content-Disposition')).toContain(encodeURIComponent(`培训达标情况-${YEAR}-海淀测试调委会.xlsx`))
    const { rows } = await rowsOf(response)
    expect(rows[0]).toEqual(['调解组织', '名称', '类别', '应修学时', '已获学时', '尚缺学时', '是否达标', '岗前培训'])
    const byName = new Map(rows.slice(1).map((r) => [r[1], r]))
    expect(rows).toHaveLength(3)
    expect(byName.get(world.people.hdMediator.name)).toEqual([
      '海淀测试调委会',
      world.people.hdMediator.name,
      '专职调解员',
      40,
      30,
      10,
      '未达标',
      '已完成',
    ])
    expect(byName.get(world.people.hdMediator2.name)?.slice(3, 7)).toEqual([20, 20, 0, '未达标'])
    const text = JSON.stringify(rows)
    for (const person of [world.people.hdMediator, world.people.hdMediator2]) {
      if (person.idNumber) expect(text).not.toContain(person.idNumber)
      if (person.phone) expect(text).not.toContain(person.phone)
    }
    const events = await exportEvents(world.users.hdManager.id)
    expect(events.map((e) => JSON.parse(e.detail!))).toEqual([{ year: YEAR, org: world.orgs.hdCommittee, rows: 2, job: jobId }])
    // One organisation's report shows in that organisation's history.
    expect(events.map((e) => [e.record_type, e.record_id])).toEqual([['organisation', world.orgs.hdCommittee]])

    const english = await exportThroughJob(exportAction, `/training/compliance.xlsx?year=${YEAR}&org=${world.orgs.hdCommittee}`, {
      cookie: world.users.hdStaff.cookie,
      headers: { 'Accept-Language': 'en' },
    })
    const en = await rowsOf(english.response)
    expect(en.name).toBe(`Training compliance ${YEAR}`)
    expect(en.rows[0]![0]).toBe('Organisation')
    expect(english.response.headers.get('Content-Disposition')).toContain(`training-compliance-${YEAR}`)
  })

  it('refuses an organisation out of scope and users without training:manage, at creation and at worker start', async () => {
    const foreign = await call(exportAction, `/training/compliance.xlsx?org=${world.orgs.hdCommittee}`, {
      cookie: world.users.cyStaff.cookie,
      form: {},
    })
    expect(foreign.status).toBe(404)
    const foreignGet = await call(exportLoader, `/training/compliance.xlsx?org=${world.orgs.hdCommittee}`, {
      cookie: world.users.cyStaff.cookie,
    })
    expect(foreignGet.status).toBe(404)
    expect(
      (await call(exportAction, '/training/compliance.xlsx?org=nonsense', { cookie: world.users.hdStaff.cookie, form: {} })).status,
    ).toBe(404)
    const mediator = await call(exportAction, '/training/compliance.xlsx', { cookie: world.users.mediator.cookie, form: {} })
    expect(mediator.status).toBe(403)
    expect((await call(newLoader, '/exports/new?kind=training.compliance', { cookie: world.users.mediator.cookie })).status).toBe(403)
    expect(await testDb().selectFrom('background_jobs').select('id').execute()).toEqual([])

    // An old link (GET) changes nothing: it leads to the start page, the organisation's path looked up.
    const get = await call(exportLoader, `/training/compliance.xlsx?year=${YEAR}&org=${world.orgs.hdCommittee}`, {
      cookie: world.users.hdManager.cookie,
    })
    expect(get.location).toMatch(
      new RegExp(`^/exports/new\\?year=${YEAR}&org=${world.orgs.hdCommittee}&orgPath=.*kind=training.compliance$`),
    )
    const start = await call(newLoader, get.location!, { cookie: world.users.hdManager.cookie })
    expect(start.status).toBe(200)
    expect(await testDb().selectFrom('background_jobs').select('id').execute()).toEqual([])

    // An organisation manager moved to another committee after queuing: the worker refuses.
    const { user } = await createUser(testDb(), { username: 't.moved', roles: [{ role: 'org_manager', orgId: world.orgs.hdCommittee }] })
    const cookie = await cookieFor(user.id)
    const jobId = await startExportJob(exportAction, `/training/compliance.xlsx?org=${world.orgs.hdCommittee}`, { cookie })
    await testDb().updateTable('role_grants').set({ org_id: world.orgs.cyCommittee }).where('user_id', '=', user.id).execute()
    expect(await runNextJob(testDb(), { workerId: 'w1' })).toBe('failed')
    expect(await job(jobId)).toMatchObject({ status: 'failed', error_code: 'forbidden', result_key: null })
    // And at download: the job it ran while allowed is no longer handed out once the grant is gone.
    await testDb().updateTable('role_grants').set({ org_id: world.orgs.hdCommittee }).where('user_id', '=', user.id).execute()
    const done = await exportThroughJob(exportAction, `/training/compliance.xlsx?org=${world.orgs.hdCommittee}`, { cookie })
    expect(done.response.status).toBe(200)
    await testDb().deleteFrom('role_grants').where('user_id', '=', user.id).execute()
    await expect(downloadJob(done.jobId, cookie)).rejects.toMatchObject({ status: 403 })
  })

  it('stops when cancelled, leaving no file', async () => {
    await expectCancelLeavesNoFile(exportAction, `/training/compliance.xlsx?year=${YEAR}`, { cookie: world.users.admin.cookie })
  })
})
