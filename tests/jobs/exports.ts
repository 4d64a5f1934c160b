/**
 * Running a background export the way a user does, inside a database test: post the list's export
 * button (the register route's action), let one worker round run the job, then fetch the file
 * from the download route as the same user; or cancel it part-way and check nothing is left.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import { testDb } from '#tests/fixtures/db.ts'
import { type RequestOptions, makeRequest } from '#tests/fixtures/request.ts'
import { action as jobAction } from '#app/routes/_app.exports.$jobId.tsx'
import { loader as downloadLoader } from '#app/routes/_app.exports.$jobId_.download.tsx'
import { type RunOptions, runNextJob } from '#app/modules/jobs/runner.server.ts'
import { exportDirectory, partialPath, resultKeyOf, resultPath } from '#app/modules/jobs/store.server.ts'

type Handler = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>

/** Posts the export and returns its job id (from the redirect to /exports/<id>). */
export async function startExportJob(action: unknown, path: string, options: RequestOptions = {}): Promise<string> {
  const response = (await (action as Handler)({
    request: makeRequest(path, { form: {}, ...options }),
    params: {},
    context: {},
  })) as Response
  expect(response.status).toBe(302)
  const location = response.headers.get('Location') ?? ''
  expect(location).toMatch(/^\/exports\/[0-9A-HJKMNP-TV-Z]{26}$/)
  return location.slice('/exports/'.length)
}

/** The download route's answer for a job, as the given user. */
export async function downloadJob(jobId: string, cookie: string): Promise<Response> {
  return (await (downloadLoader as Handler)({
    request: makeRequest(`/exports/${jobId}/download`, { cookie }),
    params: { jobId },
    context: {},
  })) as Response
}

/** Start, run to the end (one worker), download: the file the user would get. */
export async function exportThroughJob(
  action: unknown,
  path: string,
  options: RequestOptions & { cookie: string },
  run: Partial<RunOptions> = {},
): Promise<{ jobId: string; response: Response }> {
  const jobId = await startExportJob(action, path, options)
  const outcome = await runNextJob(testDb(), { workerId: 'test-worker', ...run })
  expect(outcome).toBe('done')
  return { jobId, response: await downloadJob(jobId, options.cookie) }
}

/**
 * Starts the export, runs it in batches of one row and has the owner press 取消导出 (cancel) on the
 * job page once `cancelAfter` rows are written (the partial file exists then). The worker must stop:
 * the job cancelled at that count (of `total`, when given) with no result, neither the partial
 * nor the result file nor any other file of the job left, and the download a 404.
 */
export async function expectCancelLeavesNoFile(
  action: unknown,
  path: string,
  options: { cookie: string; cancelAfter?: number; total?: number },
): Promise<void> {
  const { cookie, cancelAfter = 1, total } = options
  const jobId = await startExportJob(action, path, { cookie })
  let cancels = 0
  const outcome = await runNextJob(testDb(), {
    workerId: 'test-worker',
    batchSize: 1,
    afterBatch: async (_job, done) => {
      if (done !== cancelAfter) return
      expect(fs.existsSync(partialPath(jobId))).toBe(true)
      const cancel = (await (jobAction as Handler)({
        request: makeRequest(`/exports/${jobId}`, { cookie, form: { intent: 'cancel' } }),
        params: { jobId },
        context: {},
      })) as Response
      expect(cancel.status).toBe(302)
      cancels++
    },
  })
  expect(cancels).toBe(1)
  expect(outcome).toBe('cancelled')
  const job = await testDb().selectFrom('background_jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow()
  expect(job).toMatchObject({
    status: 'cancelled',
    progress_done: cancelAfter,
    ...(total === undefined ? {} : { progress_total: total }),
    result_key: null,
  })
  expect(fs.existsSync(partialPath(jobId))).toBe(false)
  expect(fs.existsSync(resultPath(resultKeyOf(jobId)))).toBe(false)
  expect(fs.readdirSync(exportDirectory()).filter((file) => file.startsWith(jobId))).toEqual([])
  await expect(downloadJob(jobId, cookie)).rejects.toMatchObject({ status: 404 })
}

/**
 * Gives the test file its own upload directory (TIAOJIE_UPLOAD_DIR: export files live there),
 * removed after the file's tests. Call it at the top level, before the file's own beforeAll.
 */
export function useTempUploadDir(prefix: string): void {
  let dir = ''
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
    process.env.TIAOJIE_UPLOAD_DIR = dir
  })
  afterAll(() => {
    Reflect.deleteProperty(process.env, 'TIAOJIE_UPLOAD_DIR')
    fs.rmSync(dir, { recursive: true, force: true })
  })
}
