import type { LoaderFunctionArgs } from '@remix-run/node'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { isId } from '#app/lib/ids.ts'
import { attachmentDisposition } from '#app/lib/xlsx/write.server.ts'
import { actorOf, requireUser } from '#app/modules/auth/authz.server.ts'
import { attachmentAccess, readAttachmentBytes } from '#app/modules/grading/attachments.server.ts'

/**
 * An evidence file, for the applicant and their org manager, the round's association and the
 * reviewers assigned to the application (who get a neutral name). Everyone else: 404, logged.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const db = getDb()
  const id = params.attachmentId
  const access = isId(id) ? await attachmentAccess(db, user, id) : null
  if (!access) {
    await audit(db, request, actorOf(user), {
      action: 'authz.out_of_scope',
      recordType: 'grading_attachment',
      recordId: id ?? '',
      result: 'denied',
    })
    notFound()
  }
  const bytes = await readAttachmentBytes(access.storageKey, access.row.mime)
  if (!bytes) notFound()
  return new Response(bytes, {
    headers: {
      'Content-Type': access.row.mime,
      'Content-Length': String(bytes.length),
      'Content-Disposition': attachmentDisposition(access.downloadName),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    },
  })
}
