/**
 * The background_jobs table: creating a job (idempotent while it is open), the owner's reads and
 * cancel, and the worker's conditional updates (claim, progress, finish). Every worker write says
 * `where claimed_by = me`, so with two app servers on one database a job has one runner at a time,
 * and a runner that lost its claim (it stalled past the lease and another took over) stops.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { sql } from 'kysely'
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import type { DB, Executor } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import type { BackgroundJobTable } from '#db/schema.ts'
import { type JobError, type JobKind, serialiseParams } from './kinds.ts'

/** How long a claim lasts without a progress update before another server may take the job over. */
export const CLAIM_LEASE_MS = 2 * 60_000
/** How long a finished export can be downloaded. */
export const RESULT_TTL_MS = 24 * 3600_000
/** A job whose runner died this many times is given up. */
export const MAX_ATTEMPTS = 3

export type JobRow = Omit<BackgroundJobTable, 'result_size'> & { result_size: number | null }

/** Where result files live: shared storage when there are several app servers (docs/deploy.md). */
export function exportDirectory(): string {
  return path.resolve(process.env.TIAOJIE_UPLOAD_DIR ?? 'data/uploads', 'exports')
}

const RESULT_KEY = /^[0-9A-HJKMNP-TV-Z]{26}\.xlsx\.tjx$/

/** The result file of a job (`<id>.xlsx.tjx`, encrypted) and its partial file while running. */
export function resultKeyOf(jobId: string): string {
  return `${jobId}.xlsx.tjx`
}

export function resultPath(key: string): string {
  if (!RESULT_KEY.test(key)) throw new Error('bad result key')
  return path.join(exportDirectory(), key)
}

export function partialPath(jobId: string): string {
  return `${resultPath(resultKeyOf(jobId))}.part`
}

export async function removeFile(file: string): Promise<void> {
  await fs.rm(file, { force: true })
}

function openKeyOf(ownerId: string, kind: JobKind, paramsText: string): string {
  return createHash('sha256').update(`${ownerId}\n${kind}\n${paramsText}`).digest('hex')
}

const asJob = (row: BackgroundJobTable): JobRow => ({ ...row, result_size: row.result_size === null ? null : Number(row.result_size) })

/**
 * A new queued job, or the owner's open job of the same kind and parameters (a double submit, a
 * refresh after POST, or two tabs racing: the unique open key lets one insert win).
 */
export async function createJob(
  db: DB,
  input: { ownerId: string; kind: JobKind; params: Record<string, unknown>; now?: Date },
): Promise<{ job: JobRow; created: boolean }> {
  const paramsText = serialiseParams(input.params)
  const openKey = openKeyOf(input.ownerId, input.kind, paramsText)
  const existing = await db.selectFrom('background_jobs').selectAll().where('open_key', '=', openKey).executeTakeFirst()
  if (existing) return { job: asJob(existing), created: false }
  const now = (input.now ?? new Date()).toISOString()
  const row: BackgroundJobTable = {
    id: newId(),
    kind: input.kind,
    owner_id: input.ownerId,
    params: paramsText,
    open_key: openKey,
    status: 'queued',
    progress_done: 0,
    progress_total: null,
    cancel_requested: 0,
    claimed_by: null,
    claim_expires_at: null,
    attempts: 0,
    result_key: null,
    result_name: null,
    result_size: null,
    result_detail: null,
    error_code: null,
    created_at: now,
    started_at: null,
    finished_at: null,
    expires_at: null,
    updated_at: now,
    version: 1,
  }
  try {
    await db.insertInto('background_jobs').values(row).execute()
    return { job: asJob(row), created: true }
  } catch (error) {
    if (!isUniqueViolation(error, ['open_key', 'ux_background_jobs_open'])) throw error
    const winner = await db.selectFrom('background_jobs').selectAll().where('open_key', '=', openKey).executeTakeFirst()
    if (!winner) throw error
    return { job: asJob(winner), created: false }
  }
}

/** A job if it is this user's; anyone else's is "not found". */
export async function ownJob(db: Executor, ownerId: string, jobId: string): Promise<JobRow | null> {
  const row = await db.selectFrom('background_jobs').selectAll().where('id', '=', jobId).where('owner_id', '=', ownerId).executeTakeFirst()
  return row ? asJob(row) : null
}

/** The user's recent jobs, newest first. */
export async function recentJobs(db: Executor, ownerId: string, limit = 50): Promise<JobRow[]> {
  const rows = await db
    .selectFrom('background_jobs')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
  return rows.map(asJob)
}

/**
 * The owner asks to stop: a queued job is cancelled at once; a running one is flagged and the
 * worker stops at its next batch (and deletes the partial file). False if the job had ended.
 */
export async function requestCancel(db: DB, ownerId: string, jobId: string, now = new Date()): Promise<boolean> {
  const at = now.toISOString()
  const queued = await db
    .updateTable('background_jobs')
    .set({ status: 'cancelled', open_key: null, cancel_requested: 1, finished_at: at, updated_at: at, version: sql`version + 1` })
    .where('id', '=', jobId)
    .where('owner_id', '=', ownerId)
    .where('status', '=', 'queued')
    .executeTakeFirst()
  if (Number(queued.numUpdatedRows) === 1) return true
  const running = await db
    .updateTable('background_jobs')
    .set({ cancel_requested: 1, updated_at: at, version: sql`version + 1` })
    .where('id', '=', jobId)
    .where('owner_id', '=', ownerId)
    .where('status', '=', 'running')
    .executeTakeFirst()
  return Number(running.numUpdatedRows) === 1
}

/**
 * Claims the oldest job that is queued, or running under a lapsed claim (its server died), by a
 * conditional update on id, version and status: of two servers reading the same candidate, one
 * update matches and the other matches nothing and tries the next.
 */
export async function claimNext(db: DB, workerId: string, now = new Date(), leaseMs = CLAIM_LEASE_MS): Promise<JobRow | null> {
  const at = now.toISOString()
  const candidates = await db
    .selectFrom('background_jobs')
    .select(['id', 'version', 'status', 'attempts'])
    .where((eb) =>
      eb.or([
        eb('status', '=', 'queued'),
        eb.and([eb('status', '=', 'running'), eb('claim_expires_at', '<', at), eb('attempts', '<', MAX_ATTEMPTS)]),
      ]),
    )
    .orderBy('created_at')
    .orderBy('id')
    .limit(5)
    .execute()
  for (const c of candidates) {
    const result = await db
      .updateTable('background_jobs')
      .set({
        status: 'running',
        claimed_by: workerId,
        claim_expires_at: new Date(now.getTime() + leaseMs).toISOString(),
        attempts: sql`attempts + 1`,
        progress_done: 0,
        started_at: at,
        updated_at: at,
        version: sql`version + 1`,
      })
      .where('id', '=', c.id)
      .where('version', '=', c.version)
      .where('status', '=', c.status)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) === 1) {
      const job = await db.selectFrom('background_jobs').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow()
      return asJob(job)
    }
  }
  return null
}

export type Heartbeat = 'continue' | 'cancel' | 'lost'

/**
 * After a batch: records progress and renews the claim while it is still ours and no cancel was
 * asked for; otherwise says which of the two happened.
 */
export async function reportProgress(
  db: DB,
  jobId: string,
  workerId: string,
  progress: { done: number; total: number | null },
  now = new Date(),
  leaseMs = CLAIM_LEASE_MS,
): Promise<Heartbeat> {
  const at = now.toISOString()
  const result = await db
    .updateTable('background_jobs')
    .set({
      progress_done: progress.done,
      progress_total: progress.total,
      claim_expires_at: new Date(now.getTime() + leaseMs).toISOString(),
      updated_at: at,
      version: sql`version + 1`,
    })
    .where('id', '=', jobId)
    .where('claimed_by', '=', workerId)
    .where('status', '=', 'running')
    .where('cancel_requested', '=', 0)
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) === 1) return 'continue'
  const row = await db
    .selectFrom('background_jobs')
    .select(['claimed_by', 'status', 'cancel_requested'])
    .where('id', '=', jobId)
    .executeTakeFirst()
  if (row && row.claimed_by === workerId && row.status === 'running' && row.cancel_requested === 1) return 'cancel'
  return 'lost'
}

type Ending =
  | { status: 'done'; resultKey: string; resultName: string; resultSize: number; detail: Record<string, unknown>; total: number }
  | { status: 'failed'; error: JobError }
  | { status: 'cancelled' }

/** Ends a job the worker holds; false if the claim was lost meanwhile (nothing written). */
export async function endJob(db: DB, jobId: string, workerId: string, ending: Ending, now = new Date()): Promise<boolean> {
  const at = now.toISOString()
  const common = {
    open_key: null,
    claimed_by: null,
    claim_expires_at: null,
    finished_at: at,
    updated_at: at,
    version: sql<number>`version + 1`,
  }
  const values =
    ending.status === 'done'
      ? {
          ...common,
          status: 'done' as const,
          progress_done: ending.total,
          progress_total: ending.total,
          result_key: ending.resultKey,
          result_name: ending.resultName,
          result_size: ending.resultSize,
          result_detail: JSON.stringify(ending.detail),
          expires_at: new Date(now.getTime() + RESULT_TTL_MS).toISOString(),
        }
      : ending.status === 'failed'
        ? { ...common, status: 'failed' as const, error_code: ending.error }
        : { ...common, status: 'cancelled' as const }
  const result = await db
    .updateTable('background_jobs')
    .set(values)
    .where('id', '=', jobId)
    .where('claimed_by', '=', workerId)
    .where('status', '=', 'running')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Gives up jobs whose runners kept dying (a lapsed claim after the last attempt). */
export async function failExhausted(db: DB, now = new Date()): Promise<number> {
  const at = now.toISOString()
  const result = await db
    .updateTable('background_jobs')
    .set({ status: 'failed', error_code: 'too_many_attempts', open_key: null, claimed_by: null, finished_at: at, updated_at: at })
    .where('status', '=', 'running')
    .where('claim_expires_at', '<', at)
    .where('attempts', '>=', MAX_ATTEMPTS)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/**
 * Deletes result files past their expiry and marks their jobs expired. The row is updated first
 * (conditionally, so one server does it), then the file goes: a crash in between leaves a file no
 * row points to, which `sweepOrphans` removes.
 */
export async function expireResults(db: DB, now = new Date()): Promise<number> {
  const at = now.toISOString()
  const due = await db
    .selectFrom('background_jobs')
    .select(['id', 'result_key', 'version'])
    .where('expires_at', '<', at)
    .where('status', '=', 'done')
    .limit(100)
    .execute()
  let expired = 0
  for (const job of due) {
    const result = await db
      .updateTable('background_jobs')
      .set({ status: 'expired', result_key: null, updated_at: at, version: sql`version + 1` })
      .where('id', '=', job.id)
      .where('version', '=', job.version)
      .where('status', '=', 'done')
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) continue
    if (job.result_key) await removeFile(resultPath(job.result_key))
    expired++
  }
  return expired
}

/** Files in the export directory no live job owns (expired, or left by a crash), older than a claim lease. */
export async function sweepOrphans(db: DB, now = new Date()): Promise<number> {
  let names: string[]
  try {
    names = await fs.readdir(exportDirectory())
  } catch {
    return 0
  }
  let removed = 0
  for (const name of names) {
    const id = name.slice(0, 26)
    if (!/^[0-9A-HJKMNP-TV-Z]{26}\.xlsx\.tjx(\.part)?$/.test(name)) continue
    const file = path.join(exportDirectory(), name)
    const stat = await fs.stat(file).catch(() => null)
    if (!stat || now.getTime() - stat.mtimeMs < CLAIM_LEASE_MS) continue
    const job = await db.selectFrom('background_jobs').select(['status', 'result_key']).where('id', '=', id).executeTakeFirst()
    const live = job && (name.endsWith('.part') ? job.status === 'running' : job.status === 'done' && job.result_key === name)
    if (live) continue
    await removeFile(file)
    removed++
  }
  return removed
}
