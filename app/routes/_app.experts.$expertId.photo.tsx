import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { requireUser } from '#app/modules/auth/authz.server.ts'
import { requireExpert } from '#app/modules/experts/access.server.ts'
import { formatMegabytes } from '#app/modules/experts/labels.ts'
import { readPhoto, readPhotoUpload, removePhoto, storePhoto } from '#app/modules/experts/photo.server.ts'
import { readExpertSettings } from '#app/modules/experts/settings.server.ts'

/** The photo, for those who may see the expert (the same check as the profile), never cached. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const handle = await requireExpert(request, user, params.expertId ?? '', 'view')
  const photo = await readPhoto(getDb(), handle.personId)
  if (!photo) notFound()
  return new Response(photo.bytes, {
    headers: {
      'Content-Type': photo.mime,
      'Content-Length': String(photo.bytes.length),
      'Content-Disposition': `inline; filename="expert-photo.${photo.extension}"`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    },
  })
}

/** Upload (multipart, field `photo`) or remove (`intent=remove`); the appointing body only. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const handle = await requireExpert(request, user, params.expertId ?? '', 'edit')
  const db = getDb()
  const back = `/experts/${handle.personId}`
  const type = request.headers.get('Content-Type') ?? ''
  if (!type.startsWith('multipart/form-data')) {
    const form = await request.formData()
    if (form.get('intent') !== 'remove') notFound()
    await removePhoto(db, request, user, handle.personId)
    return redirectWithFlash(back, { kind: 'success', message: 'experts.photo.removed' })
  }
  const settings = await readExpertSettings(db)
  const upload = await readPhotoUpload(request, settings.photoMaxBytes)
  if (!upload.ok) {
    const message =
      upload.error === 'tooLarge' ? 'experts.photo.tooLarge' : upload.error === 'type' ? 'experts.photo.type' : 'experts.photo.missing'
    return redirectWithFlash(back, { kind: 'error', message, params: { size: formatMegabytes(settings.photoMaxBytes) } })
  }
  await storePhoto(db, request, user, handle.personId, upload.bytes, upload.type)
  return redirectWithFlash(back, { kind: 'success', message: 'experts.photo.saved' })
}
