/**
 * What the export routes ask: start an export (idempotent while it is open), show the owner's
 * jobs, cancel one, and download a finished file after the same permission check as starting it,
 * audited as the export was when it ran in the request.
 */
import { createReadableStreamFromReadable } from '@remix-run/node'
import { audit } from '#app/lib/audit.server.ts'
import type { DB } from '#app/lib/db.server.ts'
import { forbidden, notFound } from '#app/lib/http.server.ts'
import { XLSX_MIME, attachmentDisposition } from '#app/lib/xlsx/write.server.ts'
import { type AuthUser, actorOf } from '#app/modules/auth/authz.server.ts'
import { exportKind } from './exports.server.ts'
import { ExportFileUnreadable, decryptingFileStream } from './file-crypto.server.ts'
import { JOB_KINDS, type JobKind, type JobView, isJobError, isJobKind, isOpen, jobTitleKey, parseParams, percentDone } from './kinds.ts'
import { type JobRow, createJob, ownJob, resultPath } from './store.server.ts'

/** A new export job for the list's URL (or the open one with the same filter); 403 if not allowed. */
export async function startExport(db: DB, user: AuthUser, kind: JobKind, url: URL, full: boolean): Promise<JobRow> {
  const definition = exportKind(kind)
  const params = definition.paramsFromUrl(url, full)
  if (!definition.allowed(user, params as never)) forbidden()
  const { job } = await createJob(db, { ownerId: user.userId, kind, params })
  return job
}

/** May the user run any export at all (the /exports pages are theirs only then)? */
export function mayExport(user: AuthUser): boolean {
  const blank = new URL('http://export.invalid/')
  return JOB_KINDS.some((kind) => {
    const definition = exportKind(kind)
    return definition.allowed(user, definition.paramsFromUrl(blank, false) as never)
  })
}

export function jobView(job: JobRow): JobView {
  const kind = isJobKind(job.kind) ? job.kind : null
  const definition = kind ? exportKind(kind) : null
  const params = kind ? parseParams(kind, job.params) : null
  return {
    id: job.id,
    kind,
    titleKey: jobTitleKey(kind),
    listPath: definition?.listPath ?? '/exports',
    status: job.status,
    cancelRequested: job.cancel_requested === 1 && isOpen(job.status),
    full: !!params?.full,
    done: job.progress_done,
    total: job.progress_total,
    percent: percentDone(job.status, job.progress_done, job.progress_total),
    createdAt: job.created_at,
    finishedAt: job.finished_at,
    expiresAt: job.status === 'done' ? job.expires_at : null,
    fileName: job.status === 'done' ? job.result_name : null,
    fileSize: job.status === 'done' ? job.result_size : null,
    error: isJobError(job.error_code) ? job.error_code : job.error_code ? 'internal' : null,
  }
}

/**
 * The finished file of the user's own job: 404 for anyone else's, for unfinished or expired
 * jobs; 403 if the user no longer may run the export (grants changed since); audited with the
 * export's own action and detail, like the export built in the request was.
 */
export async function downloadExport(db: DB, request: Request, user: AuthUser, jobId: string): Promise<Response> {
  const job = await ownJob(db, user.userId, jobId)
  if (!job || job.status !== 'done' || !job.result_key || !isJobKind(job.kind)) notFound()
  const definition = exportKind(job.kind)
  const params = parseParams(job.kind, job.params)
  if (!params) notFound()
  if (!definition.allowed(user, params as never)) {
    await audit(db, request, actorOf(user), {
      action: 'authz.forbidden',
      recordType: 'background_job',
      recordId: job.id,
      result: 'denied',
      detail: { kind: job.kind },
    })
    forbidden()
  }
  let file: Awaited<ReturnType<typeof decryptingFileStream>>
  try {
    file = await decryptingFileStream(resultPath(job.result_key))
  } catch (error) {
    // Deleted by the expiry sweep a moment ago, or unreadable: there is nothing to send.
    if (error instanceof ExportFileUnreadable || (error as { code?: string }).code === 'ENOENT') notFound()
    throw error
  }
  const detail = job.result_detail ? (JSON.parse(job.result_detail) as Record<string, unknown>) : {}
  const record = definition.auditRecord?.(params as never) ?? { recordType: definition.audit.recordType, recordId: undefined }
  await audit(db, request, actorOf(user), {
    action: definition.audit.action,
    recordType: record.recordType,
    recordId: record.recordId,
    detail: { ...detail, job: job.id },
  })
  return new Response(createReadableStreamFromReadable(file.stream), {
    headers: {
      'Content-Type': XLSX_MIME,
      'Content-Length': String(file.size),
      'Content-Disposition': attachmentDisposition(job.result_name ?? 'export.xlsx'),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
