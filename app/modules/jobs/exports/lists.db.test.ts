/**
 * The case list (疑难复杂纠纷台账) and the organisation list (组织机构名录) as background exports, on
 * both dialects: posted from the list, run by the worker in small batches (so the keyset reads
 * cross batch boundaries), downloaded and read back cell by cell; the rows are the list's own in
 * its order and scope; refused at creation and again by the worker for users without the
 * permission; a cancel part-way leaves no file (either list); the download is audited with the
 * old actions.
 */
import ExcelJS from 'exceljs'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loader as newLoader } from '#app/routes/_app.exports.new.tsx'
import { action as casesAction, loader as casesLoader } from '#app/routes/_app.cases[.xlsx].tsx'
import { loader as caseListLoader } from '#app/routes/_app.cases._index.tsx'
import { action as orgsAction, loader as orgsLoader } from '#app/routes/_app.orgs[.xlsx].tsx'
import { loader as orgListLoader } from '#app/routes/_app.orgs._index.tsx'
import { dueDate } from '#app/modules/cases/model.ts'
import type { OrgRow } from '#app/modules/orgs/orgs.server.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { expectCancelLeavesNoFile, exportThroughJob, useTempUploadDir } from '#tests/jobs/exports.ts'
import { call } from '#tests/security/world.ts'
import { type StatsWorld, buildStatsWorld } from '#tests/stats/world.ts'
import { runNextJob } from '../runner.server.ts'
import { createJob } from '../store.server.ts'

let world: StatsWorld

useTempUploadDir('tiaojie-list-jobs-')

beforeAll(async () => {
  world = await buildStatsWorld(testDb())
})

beforeEach(async () => {
  await testDb().deleteFrom('background_jobs').execute()
})

type User = keyof StatsWorld['users']

const job = (id: string) => testDb().selectFrom('background_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

/** Started from the list's button as `user`, run in batches of `batchSize`, downloaded, read back. */
async function exported(action: unknown, url: string, user: User, batchSize = 2) {
  const { jobId, response } = await exportThroughJob(action, url, { cookie: world.users[user].cookie }, { batchSize })
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
  const column = (header: string) => rows.map((r) => r.getCell(col(header)).value)
  return { jobId, sheet, headers, rows, col, column, disposition: response.headers.get('Content-Disposition') ?? '' }
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

async function jobsOf(user: User) {
  return testDb().selectFrom('background_jobs').select('id').where('owner_id', '=', world.users[user].id).execute()
}

describe(`case list export (${testDialect()})`, () => {
  it('writes every case of the filter, newest first across batches, with the old title rows, columns and audit', async () => {
    const { jobId, sheet, headers, rows, col, column, disposition } = await exported(casesAction, '/cases.xlsx?status=all', 'hdStaff', 3)
    expect(disposition).toContain(encodeURIComponent('疑难复杂纠纷台账'))
    expect(String(sheet.getCell('A1').value)).toBe('疑难复杂纠纷案件台账')
    expect(String(sheet.getCell('A2').value)).toBe('筛选条件：状态 全部')
    expect(String(sheet.getCell('A3').value)).toMatch(/^导出时间：.*导出人：.*（t\.hdstaff）$/)
    expect(headers).toEqual([
      '序号',
      '案件编号',
      '案件名称',
      '纠纷类型',
      '难度',
      '状态',
      '所在地区',
      '调委会',
      '需专家数',
      '已到位专家',
      '登记日期',
      '办理期限',
    ])
    // c1, c2, c3 and c5 are Haidian's (c4 is Chaoyang's), newest first; 序号 from 1.
    expect(column('案件名称')).toEqual(['案件3', '案件2', '案件1', '案件5'])
    expect(rows.map((r) => r.getCell(1).value)).toEqual([1, 2, 3, 4])
    const c3 = rows[0]!
    expect((c3.values as unknown[]).slice(1)).toEqual([
      1,
      '测试-2026-3',
      '案件3',
      '合同',
      '重大',
      '专家咨询',
      '海淀区',
      '海淀第二调委会',
      1,
      0,
      '2026-05-01',
      dueDate('2026-05-01T00:00:00.000Z', null),
    ])
    for (const header of ['案件编号', '登记日期', '办理期限']) expect(c3.getCell(col(header)).numFmt).toBe('@')

    const stored = await job(jobId)
    expect(stored).toMatchObject({ kind: 'cases.list', status: 'done', progress_done: 4, progress_total: 4 })
    expect(JSON.parse(stored.params)).toEqual({ full: false, q: '', status: 'all' })
    const event = await lastAudit('cases.export', world.users.hdStaff.id)
    expect(event?.record_type).toBe('case')
    expect(JSON.parse(event!.detail!)).toEqual({ filter: { status: null, q: null }, count: 4, job: jobId })
  })

  it('reads the status and search as the list does, and matches the list page row for row', async () => {
    // The default is the cases still being handled.
    const open = await exported(casesAction, '/cases.xlsx', 'hdStaff')
    expect(open.column('状态')).toEqual(['专家咨询'])
    expect(String(open.sheet.getCell('A2').value)).toBe('筛选条件：状态 办理中')

    const closed = await exported(casesAction, '/cases.xlsx?status=closed&q=%E6%A1%88%E4%BB%B65', 'hdStaff')
    expect(closed.column('案件名称')).toEqual(['案件5'])
    expect(String(closed.sheet.getCell('A2').value)).toBe('筛选条件：状态 结案；搜索 案件5')
    expect(JSON.parse((await lastAudit('cases.export', world.users.hdStaff.id))!.detail!)).toMatchObject({
      filter: { status: 'closed', q: '案件5' },
      count: 1,
    })

    // The list page for the same URL lists the same cases in the same order.
    const page = await call(caseListLoader, '/cases?status=all', { cookie: world.users.bjStaff.cookie })
    const listed = (page.data as { cases: { title: string }[] }).cases.map((c) => c.title)
    const file = await exported(casesAction, '/cases.xlsx?status=all', 'bjStaff', 1)
    expect(file.column('案件名称')).toEqual(listed)
    expect(listed).toHaveLength(5)
  })

  it('holds the owner’s scope only: a district, an organisation', async () => {
    expect((await exported(casesAction, '/cases.xlsx?status=all', 'cyStaff')).column('案件名称')).toEqual(['案件4'])
    const manager = await exported(casesAction, '/cases.xlsx?status=all', 'hdManager')
    expect(manager.column('案件名称')).toEqual(['案件2', '案件1', '案件5'])
    expect(new Set(manager.column('调委会'))).toEqual(new Set(['海淀测试调委会']))
  })

  it('refuses users without case:view at creation and at worker start; an old GET link only opens the start page', async () => {
    for (const user of ['mediator', 'expert', 'noGrants'] as const) {
      expect((await call(casesAction, '/cases.xlsx?status=all', { cookie: world.users[user].cookie, form: {} })).status).toBe(403)
      expect((await call(casesLoader, '/cases.xlsx', { cookie: world.users[user].cookie })).status).toBe(403)
      expect(await jobsOf(user)).toEqual([])
    }
    expect((await call(newLoader, '/exports/new?kind=cases.list', { cookie: world.users.mediator.cookie })).status).toBe(403)

    // Queued by someone whose grants do not allow it (revoked since): the worker refuses it.
    const { job: queued } = await createJob(testDb(), {
      ownerId: world.users.mediator.id,
      kind: 'cases.list',
      params: { status: 'all', q: '', full: false },
    })
    expect(await runNextJob(testDb(), { workerId: 'w1' })).toBe('failed')
    expect(await job(queued.id)).toMatchObject({ status: 'failed', error_code: 'forbidden', result_key: null })

    const get = await call(casesLoader, '/cases.xlsx?status=closed&q=x', { cookie: world.users.hdStaff.cookie })
    expect(get.location).toBe('/exports/new?status=closed&q=x&kind=cases.list')
    expect(await jobsOf('hdStaff')).toEqual([])
    const start = await call(newLoader, get.location!, { cookie: world.users.hdStaff.cookie })
    expect(start.data).toMatchObject({ action: '/cases.xlsx?status=closed&q=x', listPath: '/cases', titleKey: 'jobs.kind.cases.list' })
  })

  it('stops when the owner cancels part-way and leaves no file', async () => {
    await expectCancelLeavesNoFile(casesAction, '/cases.xlsx?status=all', { cookie: world.users.hdStaff.cookie, cancelAfter: 2, total: 4 })
  })
})

describe(`organisation list export (${testDialect()})`, () => {
  /** The list page's rows for the same query (one page big enough for the whole fixture). */
  async function listed(search: string, user: User) {
    const page = await call(orgListLoader, `/orgs?size=100${search ? `&${search}` : ''}`, { cookie: world.users[user].cookie })
    return (page.data as { rows: OrgRow[] }).rows
  }

  it('writes the list in its order across batches, with the old title rows, columns and audit', async () => {
    const { jobId, sheet, headers, rows, col, column, disposition } = await exported(orgsAction, '/orgs.xlsx', 'hdStaff', 2)
    expect(disposition).toContain(encodeURIComponent('组织机构'))
    expect(String(sheet.getCell('A1').value)).toBe('组织机构名录')
    expect(String(sheet.getCell('A3').value)).toMatch(/^导出时间：.*导出人：.*（t\.hdstaff）$/)
    expect(headers).toEqual(['序号', '名称', '类型', '所在地区', '地区代码', '状态'])
    const expected = await listed('', 'hdStaff')
    expect(expected.map((o) => o.name).sort()).toEqual(['海淀区人民调解协会', '海淀测试调委会', '海淀第二调委会'].sort())
    expect(column('名称')).toEqual(expected.map((o) => o.name))
    expect(rows.map((r) => r.getCell(1).value)).toEqual(expected.map((_, i) => i + 1))
    expect(column('名称')).not.toContain('朝阳测试调委会')
    const association = rows.find((r) => r.getCell(col('名称')).value === '海淀区人民调解协会')!
    expect((association.values as unknown[]).slice(2)).toEqual(['海淀区人民调解协会', '人民调解协会', '海淀区', '110108', '正常'])
    const code = association.getCell(col('地区代码'))
    expect(typeof code.value).toBe('string')
    expect(code.numFmt).toBe('@')

    const stored = await job(jobId)
    expect(stored).toMatchObject({ kind: 'orgs.list', status: 'done', progress_done: expected.length, progress_total: expected.length })
    const event = await lastAudit('orgs.export', world.users.hdStaff.id)
    expect(event?.record_type).toBe('organisation')
    expect(JSON.parse(event!.detail!)).toEqual({ filter: {}, count: expected.length, job: jobId })
  })

  it('keeps the list’s filters and sort (keyset on the sort column across batches)', async () => {
    const sorted = await exported(orgsAction, '/orgs.xlsx?sort=region&dir=desc', 'bjStaff', 1)
    expect(sorted.column('名称')).toEqual((await listed('sort=region&dir=desc', 'bjStaff')).map((o) => o.name))
    expect(sorted.column('名称')).toContain('朝阳测试调委会')
    const byKind = await exported(orgsAction, '/orgs.xlsx?sort=kind&dir=asc', 'bjStaff', 2)
    expect(byKind.column('名称')).toEqual((await listed('sort=kind&dir=asc', 'bjStaff')).map((o) => o.name))

    const filtered = await exported(orgsAction, '/orgs.xlsx?region=110108&kind=association', 'bjStaff')
    expect(filtered.column('名称')).toEqual(['海淀区人民调解协会'])
    expect(String(filtered.sheet.getCell('A2').value)).toBe('筛选条件：地区 海淀区；类型 人民调解协会')
    expect(JSON.parse((await lastAudit('orgs.export', world.users.bjStaff.id))!.detail!)).toMatchObject({
      filter: { region: '110108', kind: 'association' },
      count: 1,
    })
  })

  it('holds the owner’s scope only: a district, an organisation', async () => {
    const cy = await exported(orgsAction, '/orgs.xlsx', 'cyStaff')
    expect(cy.column('名称')).toContain('朝阳测试调委会')
    expect(cy.column('名称')).not.toContain('海淀测试调委会')
    expect(new Set(cy.column('所在地区'))).not.toContain('海淀区')
    expect((await exported(orgsAction, '/orgs.xlsx', 'hdManager')).column('名称')).toEqual(['海淀测试调委会'])
  })

  it('refuses users without org:view at creation and at worker start', async () => {
    for (const user of ['mediator', 'expert', 'noGrants'] as const) {
      expect((await call(orgsAction, '/orgs.xlsx', { cookie: world.users[user].cookie, form: {} })).status).toBe(403)
      expect((await call(orgsLoader, '/orgs.xlsx', { cookie: world.users[user].cookie })).status).toBe(403)
      expect(await jobsOf(user)).toEqual([])
    }
    const { job: queued } = await createJob(testDb(), {
      ownerId: world.users.expert.id,
      kind: 'orgs.list',
      params: { region: null, kind: null, status: null, q: '', sort: 'name', dir: 'asc', full: false },
    })
    expect(await runNextJob(testDb(), { workerId: 'w1' })).toBe('failed')
    expect(await job(queued.id)).toMatchObject({ status: 'failed', error_code: 'forbidden' })

    const get = await call(orgsLoader, '/orgs.xlsx?region=110108', { cookie: world.users.hdStaff.cookie })
    expect(get.location).toBe('/exports/new?region=110108&kind=orgs.list')
  })

  it('stops when the owner cancels part-way and leaves no file', async () => {
    await expectCancelLeavesNoFile(orgsAction, '/orgs.xlsx', { cookie: world.users.hdStaff.cookie, total: 3 })
  })
})
