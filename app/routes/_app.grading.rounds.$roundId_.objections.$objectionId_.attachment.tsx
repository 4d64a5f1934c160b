import type { LoaderFunctionArgs } from '@remix-run/node'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { attachmentDisposition } from '#app/lib/xlsx/write.server.ts'
import { actorOf } from '#app/modules/auth/authz.server.ts'
import { objectionFile } from '#app/modules/grading/objections.server.ts'
import { requireRoundAccess } from '#app/modules/grading/round-scope.server.ts'

/** An objection's attachment, for the association that handles the round only: an attachment, never cached, never sniffed. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb()
  const { user, loaded } = await requireRoundAccess(request, db, 'grading:manage', params.roundId)
  const file = await objectionFile(db, loaded.round.id, params.objectionId ?? '')
  if (!file) {
    // An objection of another round asked for under a round the user may open (an association
    // trying its own round's id) is an out-of-scope attempt like any other: logged, then 404.
    await audit(db, request, actorOf(user), {
      action: 'authz.out_of_scope',
      recordType: 'grading_objection',
      recordId: params.objectionId ?? '',
      result: 'denied',
    })
    notFound()
  }
  await audit(db, request, actorOf(user), {
    action: 'grading.objection_attachment_downloaded',
    recordType: 'grading_objection',
    recordId: params.objectionId,
  })
  return new Response(file.bytes, {
    headers: {
      'Content-Type': file.mime,
      'Content-Length': String(file.bytes.length),
      'Content-Disposition': attachmentDisposition(file.name),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    },
  })
}
