/**
 * 审计日志 as a background export (both dialects): posted from /audit with its filters, run by the
 * worker in keyset batches, read back cell by cell (title lines, 序号, headers, values, the
 * request's language), audited once at download and otherwise leaving the append-only log as it
 * was; auditors and security administrators only, checked when the job is created, when the
 * worker starts it and at download; a cancelled run leaves no file.
 */
import ExcelJS from 'exceljs'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loader as newLoader } from '#app/routes/_app.exports.new.tsx'
import { action as auditAction, loader as auditLoader } from '#app/routes/_app.audit[.xlsx].tsx'
import { loader as auditPageLoader } from '#app/routes/_app.audit.tsx'
import { createUser } from '#db/seed/factories.ts'
import { insertPersonHistory } from '#tests/audit/person-history.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { downloadJob, expectCancelLeavesNoFile, exportThroughJob, startExportJob, useTempUploadDir } from '#tests/jobs/exports.ts'
import { type World, buildWorld, call, cookieFor } from '#tests/security/world.ts'
import { runNextJob } from '../runner.server.ts'

let world: World

useTempUploadDir('tiaojie-audit-export-')

beforeAll(async () => {
  world = await buildWorld(testDb())
  await insertPersonHistory(testDb(), world)
})

beforeEach(async () => {
  await testDb().deleteFrom('background_jobs').execute()
})

const job = (id: string) => testDb().selectFrom('background_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const wholeLog = () => testDb().selectFrom('audit_log').selectAll().orderBy('id').execute()

async function sheetOf(response: Response) {
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(await response.arrayBuffer())
  const sheet = book.worksheets[0]!
  return { sheet, text: (row: number, col: number) => String(sheet.getRow(row).getCell(col).value ?? '') }
}

describe(`audit log export job (${testDialect()})`, () => {
  it('exports the filtered log in batches with title lines and 序号, read back cell by cell, audited once', async () => {
    const before = await wholeLog()
    const query = `?recordType=person&recordId=${world.people.hdMediator.id}&result=ok`
    const progress: [number, number | null][] = []
    const { jobId, response } = await exportThroughJob(
      auditAction,
      `/audit.xlsx${query}`,
      { cookie: world.users.auditor.cookie },
      {
        batchSize: 1,
        afterBatch: async (j) => {
          const row = await job(j.id)
          progress.push([row.progress_done, row.progress_total])
        },
      },
    )
    expect(progress).toEqual([
      [1, 2],
      [2, 2],
    ])
    expect(JSON.parse((await job(jobId)).params)).toEqual({
      action: null,
      dir: 'desc',
      from: null,
      full: false,
      locale: 'zh-CN',
      recordId: world.people.hdMediator.id,
      recordType: 'person',
      result: 'ok',
      to: null,
      user: null,
    })
    expect(response.headers.get('Content-Disposition')).toContain(encodeURIComponent('审计日志-'))
    const { sheet, text } = await sheetOf(response)
    expect(sheet.name).toBe('审计日志')
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
    // Newest first, as the page lists it; the denied entry and the other record's are filtered out.
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
    expect([text(7, 1), text(7, 2), text(7, 7)]).toEqual(['2', '2026-11-01 09:00:00', 'person.create'])
    expect(sheet.getRow(6).getCell(9).numFmt).toBe('@')
    expect(text(8, 1)).toBe('')

    // The log is append-only: the export added its own download event and nothing else.
    const after = await wholeLog()
    const added = after.filter((r) => !before.some((b) => b.id === r.id))
    expect(after.filter((r) => before.some((b) => b.id === r.id))).toEqual(before)
    expect(added).toHaveLength(1)
    expect(added[0]).toMatchObject({ action: 'audit.exported', username: 't.auditor', result: 'ok', record_type: 'audit_log' })
    expect(JSON.parse(added[0]!.detail!)).toEqual({
      filters: {
        from: null,
        to: null,
        user: null,
        action: null,
        result: 'ok',
        recordType: 'person',
        recordId: world.people.hdMediator.id,
        dir: 'desc',
      },
      rows: 2,
      total: 2,
      job: jobId,
    })
  })

  it('writes the file in the language it was started in, oldest first when asked, for a security administrator', async () => {
    const { response } = await exportThroughJob(
      auditAction,
      `/audit.xlsx?recordId=${world.people.hdMediator.id}&dir=asc&from=2026-11-01&to=2026-11-03`,
      { cookie: world.users.securityAdmin.cookie, headers: { 'Accept-Language': 'en-GB,en;q=0.9' } },
      { batchSize: 2 },
    )
    expect(response.headers.get('Content-Disposition')).toContain('audit')
    const { sheet, text } = await sheetOf(response)
    expect(sheet.name).toBe('Audit log')
    expect(text(1, 1)).toBe('Audit log')
    expect(text(4, 1)).toBe('3 entries')
    expect([text(5, 1), text(5, 2), text(5, 3)]).toEqual(['序号', 'Time', 'User'])
    expect([6, 7, 8].map((r) => text(r, 7))).toEqual(['person.create', 'person.update', 'authz.out_of_scope'])
    expect(text(8, 3)).toBe('t.cystaff')
    expect(text(9, 1)).toBe('')
  })

  it('refuses users without audit:view at creation, at worker start and at download; keeps old links as a start page', async () => {
    for (const user of ['admin', 'hdStaff', 'mediator'] as const) {
      const posted = await call(auditAction, '/audit.xlsx', { cookie: world.users[user].cookie, form: {} })
      expect(posted.status, user).toBe(403)
      expect((await call(auditLoader, '/audit.xlsx', { cookie: world.users[user].cookie })).status, user).toBe(403)
      expect((await call(newLoader, '/exports/new?kind=audit.log', { cookie: world.users[user].cookie })).status, user).toBe(403)
    }
    expect(await testDb().selectFrom('background_jobs').select('id').execute()).toEqual([])

    // An old link (GET) changes nothing: it leads to the page whose button starts the export.
    const get = await call(auditLoader, '/audit.xlsx?result=denied', { cookie: world.users.auditor.cookie })
    expect(get.location).toBe('/exports/new?result=denied&kind=audit.log')
    const start = await call(newLoader, '/exports/new?result=denied&kind=audit.log', { cookie: world.users.auditor.cookie })
    expect(start.data).toMatchObject({ action: '/audit.xlsx?result=denied', titleKey: 'jobs.kind.audit.log', listPath: '/audit' })

    // The auditor's role is withdrawn after the job was queued: the worker refuses to run it.
    const { user } = await createUser(testDb(), { username: 't.leaving', roles: [{ role: 'auditor' }] })
    const cookie = await cookieFor(user.id)
    const jobId = await startExportJob(auditAction, '/audit.xlsx?result=denied', { cookie })
    await testDb().deleteFrom('role_grants').where('user_id', '=', user.id).execute()
    expect(await runNextJob(testDb(), { workerId: 'w1' })).toBe('failed')
    expect(await job(jobId)).toMatchObject({ status: 'failed', error_code: 'forbidden', result_key: null })

    // Done while allowed, then withdrawn: the file is not handed out.
    const done = await exportThroughJob(auditAction, '/audit.xlsx?result=denied', { cookie: world.users.securityAdmin.cookie })
    expect(done.response.status).toBe(200)
    await testDb().deleteFrom('role_grants').where('user_id', '=', world.users.securityAdmin.id).execute()
    await expect(downloadJob(done.jobId, world.users.securityAdmin.cookie)).rejects.toMatchObject({ status: 403 })
  })

  it('stops when cancelled, leaving no file', async () => {
    await expectCancelLeavesNoFile(auditAction, '/audit.xlsx', { cookie: world.users.auditor.cookie })
  })

  it('posts the export from the page with the filters it shows', async () => {
    const page = await call(auditPageLoader, '/audit?result=denied&size=50&after=x', { cookie: world.users.auditor.cookie })
    expect((page.data as { exportAction: string }).exportAction).toBe('/audit.xlsx?result=denied')
  })
})
