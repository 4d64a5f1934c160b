import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { notFound, safeRedirectPath } from '#app/lib/http.server.ts'
import { isId } from '#app/lib/ids.ts'
import { may, requirePermission, requireUser } from '#app/modules/auth/authz.server.ts'
import {
  attachmentMaxBytes,
  readAttachmentUpload,
  removePendingAttachment,
  storeAttachment,
} from '#app/modules/grading/attachments.server.ts'

/** Nothing to show: the forms post here. Signed-in users get 404, others the sign-in page. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request)
  notFound()
}

async function mediatorOrg(personId: string): Promise<string | null> {
  const row = await getDb().selectFrom('mediators').select('org_id').where('person_id', '=', personId).executeTakeFirst()
  return row?.org_id ?? null
}

/**
 * Upload (multipart: `file`, `personId`, `back`) or remove a pending file (`intent=remove`), by
 * the mediator or their org manager; back to the page that sent the form with a message.
 */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'grading:apply')
  const db = getDb()
  const isMultipart = (request.headers.get('Content-Type') ?? '').startsWith('multipart/form-data')
  if (!isMultipart) {
    const form = await request.formData()
    const back = safeRedirectPath(form.get('back'), '/grading')
    const attachmentId = String(form.get('attachmentId') ?? '')
    if (form.get('intent') !== 'remove' || !isId(attachmentId)) notFound()
    const row = await db
      .selectFrom('grading_attachments')
      .select(['person_id', 'application_id'])
      .where('id', '=', attachmentId)
      .executeTakeFirst()
    if (!row || !may(user, 'grading:apply', { personId: row.person_id, orgId: await mediatorOrg(row.person_id) })) notFound()
    if (row.application_id) return redirectWithFlash(back, { kind: 'error', message: 'grading.attachments.locked' })
    await removePendingAttachment(db, request, user, attachmentId)
    return redirectWithFlash(back, { kind: 'success', message: 'grading.attachments.removed' })
  }
  const maxBytes = await attachmentMaxBytes(db)
  const upload = await readAttachmentUpload(request, maxBytes)
  const fields = upload.fields
  // `back` also travels in the URL, so a refused oversize upload (whose fields are lost) still returns to its page.
  const back = safeRedirectPath(fields?.get('back') ?? new URL(request.url).searchParams.get('back'), '/grading')
  const mb = Math.floor(maxBytes / 1_000_000)
  if (!upload.ok) {
    const message =
      upload.error === 'tooLarge'
        ? 'grading.attachments.tooLarge'
        : upload.error === 'type'
          ? 'grading.attachments.type'
          : 'grading.attachments.missing'
    return redirectWithFlash(back, { kind: 'error', message, params: { mb } })
  }
  const personId = String(fields?.get('personId') ?? '')
  if (!isId(personId) || !may(user, 'grading:apply', { personId, orgId: await mediatorOrg(personId) })) notFound()
  await storeAttachment(db, request, user, personId, upload)
  return redirectWithFlash(back, { kind: 'success', message: 'grading.attachments.uploaded' })
}
