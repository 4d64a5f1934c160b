/**
 * Expert photos: stored outside public/ under data/uploads/experts with generated names, typed by
 * their bytes, capped in size while the upload streams (the memory handler stops at the cap), and
 * served only through the route that checks access to the expert.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
} from '@remix-run/node'
import { audit } from '#app/lib/audit.server.ts'
import type { DB } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import { nowIso } from '#app/lib/time.ts'
import { type AuthUser, actorOf } from '#app/modules/auth/authz.server.ts'
import { PHOTO_TYPES, type PhotoType, detectPhotoType, extensionMatches, photoTypeOfMime } from './photo.ts'

/** Resolved at call time so tests can point it elsewhere. */
export function photoDirectory(): string {
  return path.resolve(process.env.TIAOJIE_UPLOAD_DIR ?? 'data/uploads', 'experts')
}

const STORED_NAME = /^[0-9A-HJKMNP-TV-Z]{26}\.(jpg|png|webp)$/

export type PhotoUpload = { ok: true; bytes: Uint8Array; type: PhotoType } | { ok: false; error: 'missing' | 'tooLarge' | 'type' }

/** Reads the `photo` field of a multipart request, refusing anything over `maxBytes` as it streams. */
export async function readPhotoUpload(request: Request, maxBytes: number): Promise<PhotoUpload> {
  const handler = createMemoryUploadHandler({
    maxPartSize: maxBytes,
    filter: ({ name }) => name === 'photo',
  })
  let form: FormData
  try {
    form = await parseMultipartFormData(request, handler)
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { ok: false, error: 'tooLarge' }
    throw error
  }
  const file = form.get('photo')
  if (!(file instanceof Blob) || file.size === 0) return { ok: false, error: 'missing' }
  const bytes = new Uint8Array(await file.arrayBuffer())
  const type = detectPhotoType(bytes)
  const name = file instanceof File ? file.name : ''
  if (!type || (name && !extensionMatches(name, type))) return { ok: false, error: 'type' }
  return { ok: true, bytes, type }
}

export async function storePhoto(
  db: DB,
  request: Request,
  user: AuthUser,
  personId: string,
  bytes: Uint8Array,
  type: PhotoType,
): Promise<void> {
  const directory = photoDirectory()
  await fs.mkdir(directory, { recursive: true })
  const fileName = `${newId()}.${PHOTO_TYPES[type].extension}`
  await fs.writeFile(path.join(directory, fileName), bytes, { mode: 0o600 })
  const previous = await db.selectFrom('experts').select('photo_file').where('person_id', '=', personId).executeTakeFirst()
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('experts')
        .set({ photo_file: fileName, photo_type: PHOTO_TYPES[type].mime, updated_at: nowIso() })
        .where('person_id', '=', personId)
        .execute()
      await audit(trx, request, actorOf(user), {
        action: 'expert.photo',
        recordType: 'expert',
        recordId: personId,
        detail: { type, bytes: bytes.length },
      })
    })
  } catch (error) {
    await fs.rm(path.join(directory, fileName), { force: true })
    throw error
  }
  if (previous?.photo_file && STORED_NAME.test(previous.photo_file)) await fs.rm(path.join(directory, previous.photo_file), { force: true })
}

export async function removePhoto(db: DB, request: Request, user: AuthUser, personId: string): Promise<void> {
  const previous = await db.selectFrom('experts').select('photo_file').where('person_id', '=', personId).executeTakeFirst()
  if (!previous?.photo_file) return
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('experts')
      .set({ photo_file: null, photo_type: null, updated_at: nowIso() })
      .where('person_id', '=', personId)
      .execute()
    await audit(trx, request, actorOf(user), { action: 'expert.photo.remove', recordType: 'expert', recordId: personId })
  })
  if (STORED_NAME.test(previous.photo_file)) await fs.rm(path.join(photoDirectory(), previous.photo_file), { force: true })
}

export async function readPhoto(
  db: DB,
  personId: string,
): Promise<{ bytes: Uint8Array<ArrayBuffer>; mime: string; extension: string } | null> {
  const row = await db.selectFrom('experts').select(['photo_file', 'photo_type']).where('person_id', '=', personId).executeTakeFirst()
  if (!row?.photo_file || !STORED_NAME.test(row.photo_file)) return null
  const type = photoTypeOfMime(row.photo_type)
  if (!type) return null
  try {
    const bytes = new Uint8Array(await fs.readFile(path.join(photoDirectory(), row.photo_file)))
    // Serve only what the bytes say, whatever the row claims.
    if (detectPhotoType(bytes) !== type) return null
    return { bytes, mime: PHOTO_TYPES[type].mime, extension: PHOTO_TYPES[type].extension }
  } catch {
    return null
  }
}
