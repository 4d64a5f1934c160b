/**
 * The export worker, in every app process (docs/decisions/029-background-exports.md). It claims a
 * job (store.server.ts), reloads the owner's grants (a job never runs with more than the owner
 * holds now), reads rows in keyset batches and streams them through exceljs' WorkbookWriter into
 * an encrypted partial file. Between batches it reports progress (renewing its claim), stops if
 * the owner cancelled or the claim was lost, and yields to the event loop so requests are served
 * while a large register is written. The finished file is renamed into place and the job marked
 * done; a cancelled or failed run deletes its partial file.
 */
import fs from 'node:fs/promises'
import { type BackgroundLoop, startLoop, workerIdentity } from '#app/lib/background-loop.server.ts'
import { type DB, getDb } from '#app/lib/db.server.ts'
import { type AuthUser, loadGrants } from '#app/modules/auth/authz.server.ts'
import { exportKind } from './exports.server.ts'
import { encryptingFileStream } from './file-crypto.server.ts'
import { isJobKind, parseParams } from './kinds.ts'
import {
  type JobRow,
  claimNext,
  endJob,
  expireResults,
  exportDirectory,
  failExhausted,
  partialPath,
  removeFile,
  reportProgress,
  resultKeyOf,
  resultPath,
  sweepOrphans,
} from './store.server.ts'
import { openSheetStream } from './xlsx-stream.server.ts'

export const BATCH_SIZE = 1000
/** Rows written between two turns of the event loop (about 10 ms of exceljs work). */
const WRITE_SLICE = 200

export interface RunOptions {
  workerId: string
  batchSize?: number
  now?: () => Date
  /** Called after each batch has been reported (tests cancel or inspect progress here). */
  afterBatch?: (job: JobRow, done: number) => Promise<void> | void
}

export type RunOutcome = 'done' | 'cancelled' | 'failed' | 'lost'

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

/** The owner as the authorization module sees them, if their account is still active. */
async function ownerOf(db: DB, ownerId: string): Promise<AuthUser | null> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'person_id', 'status'])
    .where('id', '=', ownerId)
    .executeTakeFirst()
  if (!user || user.status !== 'active') return null
  return {
    userId: user.id,
    personId: user.person_id,
    username: user.username,
    displayName: user.display_name,
    sessionHandle: '',
    grants: await loadGrants(user.id),
  }
}

/** Runs a claimed job to its end. */
export async function runJob(db: DB, job: JobRow, options: RunOptions): Promise<RunOutcome> {
  const now = options.now ?? (() => new Date())
  const fail = async (error: 'forbidden' | 'owner_inactive' | 'bad_params' | 'internal') =>
    (await endJob(db, job.id, options.workerId, { status: 'failed', error }, now())) ? 'failed' : 'lost'
  if (!isJobKind(job.kind)) return fail('bad_params')
  const kind = exportKind(job.kind)
  const params = parseParams(job.kind, job.params)
  if (!params) return fail('bad_params')
  const owner = await ownerOf(db, job.owner_id)
  if (!owner) return fail('owner_inactive')
  if (!kind.allowed(owner, params as never)) return fail('forbidden')

  let prepared: Awaited<ReturnType<typeof kind.prepare>>
  try {
    prepared = await kind.prepare(db, owner, params as never)
  } catch (error) {
    console.warn('export job failed', job.id, error instanceof Error ? error.message : error)
    return fail('internal')
  }
  await fs.mkdir(exportDirectory(), { recursive: true })
  const partial = partialPath(job.id)
  const { input, done: fileDone } = encryptingFileStream(partial)
  // Keep the file's error for the end; an early rejection must not go unhandled meanwhile.
  fileDone.catch(() => undefined)
  const sheet = openSheetStream(input, prepared.sheet)
  let stopped: 'cancelled' | 'lost' | null = null
  try {
    let written = 0
    const first = await reportProgress(db, job.id, options.workerId, { done: 0, total: prepared.total() }, now())
    if (first !== 'continue') stopped = first === 'cancel' ? 'cancelled' : 'lost'
    if (!stopped) {
      for await (const rows of prepared.batches(options.batchSize ?? BATCH_SIZE)) {
        // Building rows is synchronous work: in slices, with requests served in between.
        for (let i = 0; i < rows.length; i += WRITE_SLICE) {
          await yieldToEventLoop()
          sheet.addRows(rows.slice(i, i + WRITE_SLICE))
        }
        written += rows.length
        const beat = await reportProgress(db, job.id, options.workerId, { done: written, total: prepared.total() }, now())
        if (beat !== 'continue') {
          stopped = beat === 'cancel' ? 'cancelled' : 'lost'
          break
        }
        await options.afterBatch?.(job, written)
        await yieldToEventLoop()
      }
    }
    await sheet.finish()
    await fileDone
    if (stopped) {
      await removeFile(partial)
      if (stopped === 'lost') return 'lost'
      return (await endJob(db, job.id, options.workerId, { status: 'cancelled' }, now())) ? 'cancelled' : 'lost'
    }
    const key = resultKeyOf(job.id)
    await fs.rename(partial, resultPath(key))
    const { size } = await fs.stat(resultPath(key))
    const ended = await endJob(
      db,
      job.id,
      options.workerId,
      { status: 'done', resultKey: key, resultName: prepared.fileName, resultSize: size, detail: prepared.detail(), total: written },
      now(),
    )
    if (!ended) {
      await removeFile(resultPath(key))
      return 'lost'
    }
    return 'done'
  } catch (error) {
    console.warn('export job failed', job.id, error instanceof Error ? error.message : error)
    input.destroy()
    await removeFile(partial)
    return fail('internal')
  }
}

/** Claims and runs the next due job, if any; false when there was none. */
export async function runNextJob(db: DB, options: RunOptions): Promise<RunOutcome | null> {
  const job = await claimNext(db, options.workerId, (options.now ?? (() => new Date()))())
  if (!job) return null
  return runJob(db, job, options)
}

/** Housekeeping: give up jobs whose runners kept dying, delete expired results and stray files. */
export async function housekeeping(db: DB, now = new Date()): Promise<void> {
  await failExhausted(db, now)
  await expireResults(db, now)
  await sweepOrphans(db, now)
}

// ---------------------------------------------------------------------------------------------
// The loop in the app process

export const POLL_INTERVAL_MS = 1000
const HOUSEKEEPING_EVERY_MS = 10 * 60_000

let running: BackgroundLoop | null = null

/** Starts the loop once per process (server/start.js calls it through entry.server). */
export function startExportWorker(intervalMs = POLL_INTERVAL_MS): { stop: () => void } {
  if (running) return running
  const workerId = workerIdentity()
  let lastHousekeeping = 0
  running = startLoop('export worker', intervalMs, async (loop) => {
    if (Date.now() - lastHousekeeping > HOUSEKEEPING_EVERY_MS) {
      lastHousekeeping = Date.now()
      await housekeeping(getDb())
    }
    // One job at a time per process: exports share the event loop with requests.
    for (let i = 0; i < 10 && !loop.stopped; i++) {
      if ((await runNextJob(getDb(), { workerId })) === null) break
    }
  })
  return running
}

export function stopExportWorker(): void {
  running?.stop()
  running = null
}
