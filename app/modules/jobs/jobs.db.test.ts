/**
 * Background exports end to end on the database (both dialects): a register posted from its list
 * becomes one job (double submits included), the worker runs it in batches with progress, the
 * file on disk is encrypted and reads back cell by cell, only the owner sees or downloads it,
 * cancel stops the run and deletes the partial file, two workers never run one job, a stalled
 * worker loses the job to another, and expired files are deleted.
 */
import fs from 'node:fs'
import ExcelJS from 'exceljs'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loader as jobLoader, action as jobAction } from '#app/routes/_app.exports.$jobId.tsx'
import { loader as listLoader } from '#app/routes/_app.exports._index.tsx'
import { loader as newLoader } from '#app/routes/_app.exports.new.tsx'
import { action as expertsAction } from '#app/routes/_app.experts.register[.xlsx].tsx'
import { action as peopleAction, loader as peopleLoader } from '#app/routes/_app.people.register[.xlsx].tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { downloadJob, exportThroughJob, startExportJob, useTempUploadDir } from '#tests/jobs/exports.ts'
import { call } from '#tests/security/world.ts'
import { type StatsWorld, buildStatsWorld } from '#tests/stats/world.ts'
import { decryptingFileStream, readDecrypted } from './file-crypto.server.ts'
import { housekeeping, runJob, runNextJob } from './runner.server.ts'
import {
  CLAIM_LEASE_MS,
  MAX_ATTEMPTS,
  RESULT_TTL_MS,
  claimNext,
  createJob,
  exportDirectory,
  partialPath,
  reportProgress,
  resultPath,
} from './store.server.ts'

let world: StatsWorld

useTempUploadDir('tiaojie-jobs-')

beforeAll(async () => {
  world = await buildStatsWorld(testDb())
})

// Each test starts from an empty queue, so one test's leftovers are never another's claim.
beforeEach(async () => {
  await testDb().deleteFrom('background_jobs').execute()
})

const job = (id: string) => testDb().selectFrom('background_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

async function workbookOf(response: Response) {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(await response.arrayBuffer())
  return workbook.worksheets[0]!
}

describe(`background exports (${testDialect()})`, () => {
  it('runs the mediators register to done in batches, with progress, encrypted at rest, read back cell by cell', async () => {
    const path = `/people/register.xlsx?org=${world.orgs.hdCommittee}`
    const cookie = world.users.hdStaff.cookie
    const jobId = await startExportJob(peopleAction, path, { cookie })
    // A double submit (or a refresh after POST) opens the same job.
    expect(await startExportJob(peopleAction, path, { cookie })).toBe(jobId)
    expect(await testDb().selectFrom('background_jobs').select('id').execute()).toHaveLength(1)
    const queued = await job(jobId)
    expect(queued.status).toBe('queued')
    expect(JSON.parse(queued.params)).toMatchObject({ org: world.orgs.hdCommittee, full: false })

    const progress: [number, number | null][] = []
    const outcome = await runNextJob(testDb(), {
      workerId: 'w1',
      batchSize: 1,
      afterBatch: async () => {
        const row = await job(jobId)
        progress.push([row.progress_done, row.progress_total])
      },
    })
    expect(outcome).toBe('done')
    expect(progress).toEqual([
      [1, 2],
      [2, 2],
    ])
    const done = await job(jobId)
    expect(done).toMatchObject({ status: 'done', progress_done: 2, progress_total: 2, open_key: null, claimed_by: null })
    expect(Date.parse(done.expires_at!) - Date.parse(done.finished_at!)).toBe(RESULT_TTL_MS)

    // On disk: the encrypted file only (no zip signature, no names), no partial left.
    const raw = fs.readFileSync(resultPath(done.result_key!))
    expect(raw.subarray(0, 4).toString()).toBe('TJX1')
    expect(raw.includes(Buffer.from('PK\x03\x04'))).toBe(false)
    expect(fs.existsSync(partialPath(jobId))).toBe(false)
    expect(Number(done.result_size)).toBe(raw.length)

    const response = await downloadJob(jobId, cookie)
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    expect(response.headers.get('Content-Disposition')).toContain(encodeURIComponent('调解员名册'))
    const sheet = await workbookOf(response)
    expect(String(sheet.getCell('A1').value)).toBe('人民调解员名册')
    expect(String(sheet.getCell('A2').value)).toBe('筛选条件：组织 海淀测试调委会')
    expect(String(sheet.getCell('A3').value)).toMatch(/^导出时间：.*导出人：.*（t\.hdstaff）$/)
    const headers = (sheet.getRow(4).values as unknown[]).slice(1)
    expect(headers).toEqual([
      '序号',
      '姓名',
      '性别',
      '出生日期',
      '身份证号',
      '手机号',
      '所属调委会',
      '所在地区',
      '专兼职',
      '工作证号',
      '从事调解工作起始日期',
      '状态',
    ])
    const { hdMediator, hdMediator2 } = world.people
    // Name order (the list's default sort), 序号 from 1.
    const names = [hdMediator.name, hdMediator2.name].sort()
    expect([sheet.getRow(5).getCell(2).value, sheet.getRow(6).getCell(2).value]).toEqual(names)
    expect([sheet.getRow(5).getCell(1).value, sheet.getRow(6).getCell(1).value]).toEqual([1, 2])
    expect(sheet.getRow(7).getCell(2).value).toBeNull()
    const row = sheet.getRow(5).getCell(2).value === hdMediator.name ? sheet.getRow(5) : sheet.getRow(6)
    expect(row.getCell(5).value).toBe(hdMediator.id_number_masked)
    expect(row.getCell(5).numFmt).toBe('@')

    const event = await testDb()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'people.register_export')
      .where('user_id', '=', world.users.hdStaff.id)
      .orderBy('at', 'desc')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(event.detail!)).toEqual({ filter: { org: world.orgs.hdCommittee }, count: 2, full: false, revealed: 0, job: jobId })
  })

  it('holds full numbers only for person:reveal, encrypted on disk, audited without them', async () => {
    const { jobId, response } = await exportThroughJob(peopleAction, '/people/register.xlsx', {
      cookie: world.users.hdStaff.cookie,
      form: { full: '1' },
    })
    const sheet = await workbookOf(response)
    const ids: unknown[] = []
    sheet.eachRow((r, n) => {
      if (n > 4) ids.push(r.getCell(5).value)
    })
    expect(ids).toContain(world.people.hdMediator.idNumber)
    // The parameters and the file at rest never hold a number.
    const stored = await job(jobId)
    expect(stored.params).not.toContain(world.people.hdMediator.idNumber!)
    expect(fs.readFileSync(resultPath(stored.result_key!)).includes(Buffer.from(world.people.hdMediator.idNumber!))).toBe(false)
    const event = await testDb()
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'people.register_export')
      .where('user_id', '=', world.users.hdStaff.id)
      .orderBy('at', 'desc')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(event.detail!)).toMatchObject({ full: true, count: 3, revealed: 3, job: jobId })
    expect(event.detail).not.toContain(world.people.hdMediator.idNumber!)
    // An organisation manager may list but not reveal: refused, no job.
    const refused = await call(peopleAction, '/people/register.xlsx', { cookie: world.users.hdManager.cookie, form: { full: '1' } })
    expect(refused.status).toBe(403)
    expect(await testDb().selectFrom('background_jobs').select('id').where('owner_id', '=', world.users.hdManager.id).execute()).toEqual([])
  })

  it('shows a job to its owner only: another user gets 404 on the page, the cancel and the download', async () => {
    const { jobId } = await exportThroughJob(peopleAction, '/people/register.xlsx', { cookie: world.users.hdStaff.cookie })
    const owner = await call(jobLoader, `/exports/${jobId}`, { cookie: world.users.hdStaff.cookie, params: { jobId } })
    expect(owner.data).toMatchObject({ job: { id: jobId, status: 'done', percent: 100, fileName: expect.stringMatching(/^调解员名册-/) } })
    // The page's data carries neither the parameters nor the file's key.
    expect(JSON.stringify(owner.data)).not.toContain('.tjx')
    for (const other of [world.users.bjStaff, world.users.cyStaff, world.users.admin]) {
      expect((await call(jobLoader, `/exports/${jobId}`, { cookie: other.cookie, params: { jobId } })).status).toBe(404)
      const cancel = await call(jobAction, `/exports/${jobId}`, { cookie: other.cookie, params: { jobId }, form: { intent: 'cancel' } })
      expect(cancel.status).toBe(404)
      await expect(downloadJob(jobId, other.cookie)).rejects.toMatchObject({ status: 404 })
    }
    const list = await call(listLoader, '/exports', { cookie: world.users.cyStaff.cookie })
    expect(JSON.stringify(list.data)).not.toContain(jobId)
    const mine = await call(listLoader, '/exports', { cookie: world.users.hdStaff.cookie })
    expect((mine.data as { jobs: { id: string }[] }).jobs.map((j) => j.id)).toContain(jobId)
    // Users who may export nothing have no export pages.
    expect((await call(listLoader, '/exports', { cookie: world.users.mediator.cookie })).status).toBe(403)
  })

  it('stops a running job when the owner cancels, deleting the partial file; a queued one at once', async () => {
    const cookie = world.users.hdStaff.cookie
    const jobId = await startExportJob(peopleAction, '/people/register.xlsx', { cookie })
    let partialSeen = false
    const outcome = await runNextJob(testDb(), {
      workerId: 'w1',
      batchSize: 1,
      afterBatch: async (_job, done) => {
        if (done !== 1) return
        // The file stream opens on a later turn of the event loop (SQLite answers synchronously).
        await new Promise((resolve) => setTimeout(resolve, 50))
        partialSeen = fs.existsSync(partialPath(jobId))
        const cancel = await call(jobAction, `/exports/${jobId}`, { cookie, params: { jobId }, form: { intent: 'cancel' } })
        expect(cancel.status).toBe(302)
      },
    })
    expect(partialSeen).toBe(true)
    expect(outcome).toBe('cancelled')
    const cancelled = await job(jobId)
    expect(cancelled).toMatchObject({ status: 'cancelled', progress_done: 1, result_key: null, open_key: null })
    expect(fs.existsSync(partialPath(jobId))).toBe(false)
    expect(fs.readdirSync(exportDirectory()).filter((f) => f.startsWith(jobId))).toEqual([])
    await expect(downloadJob(jobId, cookie)).rejects.toMatchObject({ status: 404 })

    // Queued: cancelled without a worker; the same filter may then be exported anew.
    const queuedId = await startExportJob(peopleAction, '/people/register.xlsx', { cookie })
    expect(queuedId).not.toBe(jobId)
    await call(jobAction, `/exports/${queuedId}`, { cookie, params: { jobId: queuedId }, form: { intent: 'cancel' } })
    expect((await job(queuedId)).status).toBe('cancelled')
    expect(await runNextJob(testDb(), { workerId: 'w1' })).toBeNull()
  })

  it('lets one of two workers claim a job, and another take over a job whose worker stalled', async () => {
    const { job: created } = await createJob(testDb(), {
      ownerId: world.users.hdStaff.id,
      kind: 'people.register',
      params: { region: null, org: null, employment: null, status: null, q: '', sort: 'name', dir: 'asc', full: false },
    })
    const now = new Date()
    const claims = await Promise.all([claimNext(testDb(), 'a', now), claimNext(testDb(), 'b', now)])
    expect(claims.filter(Boolean)).toHaveLength(1)
    const winner = claims[0] ? 'a' : 'b'
    const loser = winner === 'a' ? 'b' : 'a'
    expect(await claimNext(testDb(), loser, now)).toBeNull()
    expect(await reportProgress(testDb(), created.id, loser, { done: 1, total: 3 }, now)).toBe('lost')

    // The winner stalls past its lease: the other worker takes the job over and runs it; the
    // stalled one finds its claim gone at its next batch.
    const later = new Date(now.getTime() + CLAIM_LEASE_MS + 1000)
    const takeover = await claimNext(testDb(), loser, later)
    expect(takeover?.id).toBe(created.id)
    expect(takeover?.attempts).toBe(2)
    expect(await reportProgress(testDb(), created.id, winner, { done: 1, total: 3 }, later)).toBe('lost')
    expect(await runJob(testDb(), takeover!, { workerId: loser, now: () => later })).toBe('done')
    expect((await job(created.id)).status).toBe('done')

    // A job whose runners keep dying is not claimed again after the last attempt; housekeeping fails it.
    const { job: doomed } = await createJob(testDb(), {
      ownerId: world.users.hdStaff.id,
      kind: 'people.register',
      params: { region: '110108', org: null, employment: null, status: null, q: '', sort: 'name', dir: 'asc', full: false },
    })
    let at = now.getTime()
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      at += CLAIM_LEASE_MS + 1000
      expect((await claimNext(testDb(), `dies-${attempt}`, new Date(at)))?.id).toBe(doomed.id)
    }
    at += CLAIM_LEASE_MS + 1000
    expect(await claimNext(testDb(), 'next', new Date(at))).toBeNull()
    await housekeeping(testDb(), new Date(at))
    expect(await job(doomed.id)).toMatchObject({ status: 'failed', error_code: 'too_many_attempts', open_key: null })
  })

  it('deletes result files when they expire, and fails a job whose owner lost the permission', async () => {
    const { jobId } = await exportThroughJob(peopleAction, '/people/register.xlsx', { cookie: world.users.hdStaff.cookie })
    const file = resultPath((await job(jobId)).result_key!)
    expect(fs.existsSync(file)).toBe(true)
    await housekeeping(testDb(), new Date(Date.now() + RESULT_TTL_MS - 60_000))
    expect(fs.existsSync(file)).toBe(true)
    await housekeeping(testDb(), new Date(Date.now() + RESULT_TTL_MS + 60_000))
    expect(fs.existsSync(file)).toBe(false)
    expect(await job(jobId)).toMatchObject({ status: 'expired', result_key: null })
    await expect(downloadJob(jobId, world.users.hdStaff.cookie)).rejects.toMatchObject({ status: 404 })

    // A job queued by someone whose grants no longer allow it fails when the worker picks it up.
    const { job: queued } = await createJob(testDb(), {
      ownerId: world.users.mediator.id,
      kind: 'people.register',
      params: { region: null, org: null, employment: null, status: null, q: '', sort: 'name', dir: 'asc', full: false },
    })
    expect(await runNextJob(testDb(), { workerId: 'w1' })).toBe('failed')
    expect(await job(queued.id)).toMatchObject({ status: 'failed', error_code: 'forbidden', result_key: null })
  })

  it('runs the experts register (experts in office) and keeps the old GET link working through a start page', async () => {
    const { response } = await exportThroughJob(
      expertsAction,
      '/experts/register.xlsx',
      { cookie: world.users.hdStaff.cookie },
      { batchSize: 2 },
    )
    const sheet = await workbookOf(response)
    const headers = (sheet.getRow(1).values as unknown[]).slice(1)
    const status = headers.indexOf('状态') + 1
    const statuses: unknown[] = []
    sheet.eachRow((row, n) => {
      if (n > 1) statuses.push(row.getCell(status).value)
    })
    expect(statuses).toEqual(['在库', '在库', '在库'])

    // An old link (GET) changes nothing: it leads to the page whose button starts the export.
    const before = await testDb().selectFrom('background_jobs').select('id').execute()
    const get = await call(peopleLoader, '/people/register.xlsx?region=110108', { cookie: world.users.hdStaff.cookie })
    expect(get.location).toBe('/exports/new?region=110108&kind=people.register')
    expect(await testDb().selectFrom('background_jobs').select('id').execute()).toEqual(before)
    const start = await call(newLoader, '/exports/new?region=110108&kind=people.register', { cookie: world.users.hdStaff.cookie })
    expect(start.data).toMatchObject({ action: '/people/register.xlsx?region=110108' })
    expect((await call(newLoader, '/exports/new?kind=people.register', { cookie: world.users.expert.cookie })).status).toBe(403)
    expect((await call(newLoader, '/exports/new?kind=nothing', { cookie: world.users.hdStaff.cookie })).status).toBe(404)
  })

  it('refuses an altered file instead of sending altered bytes', async () => {
    const { jobId } = await exportThroughJob(peopleAction, '/people/register.xlsx', { cookie: world.users.hdStaff.cookie })
    const file = resultPath((await job(jobId)).result_key!)
    expect((await readDecrypted(file)).subarray(0, 2).toString()).toBe('PK')
    const bytes = fs.readFileSync(file)
    bytes[bytes.length - 40]! ^= 1
    fs.writeFileSync(file, bytes)
    await expect(readDecrypted(file)).rejects.toThrow()
    const { stream, size } = await decryptingFileStream(file)
    stream.destroy()
    expect(size).toBe(bytes.length - 52)
  })
})
