/**
 * Extra evidence files of grade applications (PDF, JPG, PNG). Typed by their first bytes, never by
 * name or the browser's claim; capped in size while the upload streams; stored under
 * TIAOJIE_UPLOAD_DIR/grading with generated names (outside public/); served only through the
 * download route after `attachmentAccess` (the applicant, their org manager, the round's
 * association, reviewers assigned to the application, who get a neutral name such as 附件1.pdf).
 *
 * A mediator uploads before applying: the file waits with application_id null and is tied to the
 * application on submission (and listed, by number only, in the evidence snapshot).
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
} from '@remix-run/node'
import { audit } from '#app/lib/audit.server.ts'
import type { DB, Executor } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import { readSettings } from '#app/lib/settings.server.ts'
import { nowIso } from '#app/lib/time.ts'
import { type AuthUser, actorOf, may } from '#app/modules/auth/authz.server.ts'
import { parseSnapshot } from './evidence.ts'
import { getRound, roundScope } from './rounds.server.ts'
import { GRADING_SETTINGS } from './settings.server.ts'

export async function attachmentMaxBytes(db: Executor): Promise<number> {
  return (await readSettings(db, GRADING_SETTINGS)).attachmentMaxBytes
}

export const ATTACHMENT_TYPES = {
  pdf: { mime: 'application/pdf', extension: 'pdf' },
  jpeg: { mime: 'image/jpeg', extension: 'jpg' },
  png: { mime: 'image/png', extension: 'png' },
} as const

export type AttachmentType = keyof typeof ATTACHMENT_TYPES

const startsWith = (bytes: Uint8Array, signature: readonly number[]) =>
  bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b)

export function detectAttachmentType(bytes: Uint8Array): AttachmentType | null {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf' // %PDF-
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg'
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png'
  return null
}

function typeOfMime(mime: string): AttachmentType | null {
  for (const [type, info] of Object.entries(ATTACHMENT_TYPES)) if (info.mime === mime) return type as AttachmentType
  return null
}

/** Resolved at call time so tests can point it elsewhere. */
export function attachmentDirectory(): string {
  return path.resolve(process.env.TIAOJIE_UPLOAD_DIR ?? 'data/uploads', 'grading')
}

const STORED_NAME = /^[0-9A-HJKMNP-TV-Z]{26}\.(pdf|jpg|png)$/

export type AttachmentUpload =
  | { ok: true; bytes: Uint8Array; type: AttachmentType; name: string; fields: FormData }
  | { ok: false; error: 'missing' | 'tooLarge' | 'type'; fields?: FormData }

/** Reads the `file` field of a multipart request and types it by content. */
export async function readAttachmentUpload(request: Request, maxBytes: number): Promise<AttachmentUpload> {
  // The file part plus the small text fields (personId, back); other file parts are dropped.
  const handler = createMemoryUploadHandler({ maxPartSize: maxBytes, filter: ({ name, filename }) => name === 'file' || !filename })
  let form: FormData
  try {
    form = await parseMultipartFormData(request, handler)
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { ok: false, error: 'tooLarge' }
    throw error
  }
  const file = form.get('file')
  if (!(file instanceof Blob) || file.size === 0) return { ok: false, error: 'missing', fields: form }
  const bytes = new Uint8Array(await file.arrayBuffer())
  const type = detectAttachmentType(bytes)
  if (!type) return { ok: false, error: 'type', fields: form }
  return { ok: true, bytes, type, name: file instanceof File ? file.name : '', fields: form }
}

/** Keeps a readable, harmless original name for the applicant's own lists (never used as a path). */
export function cleanFileName(name: string, type: AttachmentType): string {
  const base = name
    .replace(/[\\/:*?"<>|]/g, '')
    // Control characters (code points below 0x20) never belong in a name.
    .replace(/./gu, (c) => (c.charCodeAt(0) < 0x20 ? '' : c))
    .replace(/\.[^.]*$/, '')
    .trim()
    .slice(0, 80)
  return `${base || 'attachment'}.${ATTACHMENT_TYPES[type].extension}`
}

export async function storeAttachment(
  db: DB,
  request: Request,
  user: AuthUser,
  personId: string,
  file: { bytes: Uint8Array; type: AttachmentType; name: string },
): Promise<string> {
  const directory = attachmentDirectory()
  await fs.mkdir(directory, { recursive: true })
  const id = newId()
  const storageKey = `${id}.${ATTACHMENT_TYPES[file.type].extension}`
  await fs.writeFile(path.join(directory, storageKey), file.bytes, { mode: 0o600 })
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('grading_attachments')
        .values({
          id,
          application_id: null,
          person_id: personId,
          file_name: cleanFileName(file.name, file.type),
          mime: ATTACHMENT_TYPES[file.type].mime,
          size_bytes: file.bytes.length,
          sha256: createHash('sha256').update(file.bytes).digest('hex'),
          storage_key: storageKey,
          uploaded_by: user.userId,
          created_at: nowIso(),
        })
        .execute()
      await audit(trx, request, actorOf(user), {
        action: 'grading.attachment.upload',
        recordType: 'grading_attachment',
        recordId: id,
        detail: { person: personId, type: file.type, bytes: file.bytes.length },
      })
    })
  } catch (error) {
    await fs.rm(path.join(directory, storageKey), { force: true })
    throw error
  }
  return id
}

export interface AttachmentRow {
  id: string
  applicationId: string | null
  personId: string
  fileName: string
  mime: string
  sizeBytes: number
  createdAt: string
}

export async function pendingAttachments(db: Executor, personId: string): Promise<AttachmentRow[]> {
  return listAttachments(db, (q) => q.where('person_id', '=', personId).where('application_id', 'is', null))
}

export async function applicationAttachments(db: Executor, applicationId: string): Promise<AttachmentRow[]> {
  return listAttachments(db, (q) => q.where('application_id', '=', applicationId))
}

type AttachmentQuery = ReturnType<typeof baseQuery>
function baseQuery(db: Executor) {
  return db.selectFrom('grading_attachments').select(['id', 'application_id', 'person_id', 'file_name', 'mime', 'size_bytes', 'created_at'])
}

async function listAttachments(db: Executor, filter: (q: AttachmentQuery) => AttachmentQuery): Promise<AttachmentRow[]> {
  const rows = await filter(baseQuery(db)).orderBy('created_at').orderBy('id').execute()
  return rows.map((r) => ({
    id: r.id,
    applicationId: r.application_id,
    personId: r.person_id,
    fileName: r.file_name,
    mime: r.mime,
    sizeBytes: Number(r.size_bytes),
    createdAt: r.created_at,
  }))
}

/** Removes a file not yet submitted with an application. */
export async function removePendingAttachment(db: DB, request: Request, user: AuthUser, attachmentId: string): Promise<boolean> {
  const row = await db
    .selectFrom('grading_attachments')
    .select(['id', 'storage_key', 'application_id', 'person_id'])
    .where('id', '=', attachmentId)
    .executeTakeFirst()
  if (!row || row.application_id) return false
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('grading_attachments').where('id', '=', row.id).where('application_id', 'is', null).execute()
    await audit(trx, request, actorOf(user), { action: 'grading.attachment.remove', recordType: 'grading_attachment', recordId: row.id })
  })
  if (STORED_NAME.test(row.storage_key)) await fs.rm(path.join(attachmentDirectory(), row.storage_key), { force: true })
  return true
}

/** The mediator's organisation, for the org manager's reach over a pending attachment. */
async function mediatorOrg(db: Executor, personId: string): Promise<string | null> {
  const row = await db.selectFrom('mediators').select('org_id').where('person_id', '=', personId).executeTakeFirst()
  return row?.org_id ?? null
}

export type AttachmentAccess = { as: 'owner' | 'association' | 'reviewer'; downloadName: string }

/**
 * Who may fetch an attachment: the applicant and their org manager (the original name), the
 * association of the round (the original name) and reviewers assigned to the application (a
 * neutral name, since the original may carry the applicant's name). Null for everyone else.
 */
export async function attachmentAccess(
  db: Executor,
  user: AuthUser,
  attachmentId: string,
): Promise<(AttachmentAccess & { row: AttachmentRow; storageKey: string }) | null> {
  const r = await db.selectFrom('grading_attachments').selectAll().where('id', '=', attachmentId).executeTakeFirst()
  if (!r) return null
  const row: AttachmentRow = {
    id: r.id,
    applicationId: r.application_id,
    personId: r.person_id,
    fileName: r.file_name,
    mime: r.mime,
    sizeBytes: Number(r.size_bytes),
    createdAt: r.created_at,
  }
  const app = r.application_id
    ? await db
        .selectFrom('grading_applications')
        .select(['id', 'round_id', 'org_id', 'evidence'])
        .where('id', '=', r.application_id)
        .executeTakeFirst()
    : null
  const orgId = app?.org_id ?? (await mediatorOrg(db, r.person_id))
  if (may(user, 'grading:apply', { personId: r.person_id, orgId }))
    return { as: 'owner', downloadName: row.fileName, row, storageKey: r.storage_key }
  if (!app) return null
  const round = await getRound(db, app.round_id)
  if (round && may(user, 'grading:manage', roundScope(round)))
    return { as: 'association', downloadName: row.fileName, row, storageKey: r.storage_key }
  const assigned = await db
    .selectFrom('grading_assignments')
    .select('id')
    .where('application_id', '=', app.id)
    .where('reviewer_user_id', '=', user.userId)
    .where('status', '!=', 'removed')
    .executeTakeFirst()
  // The assignment is the reviewer's scope (policy.ts): holding the reviewer role and the assignment suffices.
  if (assigned && user.grants.some((g) => g.role === 'reviewer')) {
    const label = parseSnapshot(app.evidence)?.attachments.find((a) => a.id === r.id)?.label ?? 1
    const type = typeOfMime(r.mime) ?? 'pdf'
    return { as: 'reviewer', downloadName: `附件${label}.${ATTACHMENT_TYPES[type].extension}`, row, storageKey: r.storage_key }
  }
  return null
}

/** The stored bytes, re-checked against the recorded type (serve only what the bytes say). */
export async function readAttachmentBytes(storageKey: string, mime: string): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!STORED_NAME.test(storageKey)) return null
  try {
    const bytes = new Uint8Array(await fs.readFile(path.join(attachmentDirectory(), storageKey)))
    const type = detectAttachmentType(bytes)
    return type && ATTACHMENT_TYPES[type].mime === mime ? bytes : null
  } catch {
    return null
  }
}
