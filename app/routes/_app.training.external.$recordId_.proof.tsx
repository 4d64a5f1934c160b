import type { LoaderFunctionArgs } from '@remix-run/node'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { actorOf, requirePermission, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import { PROOF_TYPES } from '#app/modules/training/external.ts'
import { getExternalRecord, readProof } from '#app/modules/training/external.server.ts'

/**
 * The proof file of an external record, for the claimant and reviewers in scope only (the same
 * check as the record page), typed by its bytes, never cached, and sandboxed so a crafted file
 * cannot run script in the app's origin. Reviewers' views are audited (it may show personal data).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'training:view')
  const db = getDb()
  const found = await getExternalRecord(db, params.recordId ?? '')
  if (!found) notFound()
  await requireRecordAccess(request, user, 'training:view', { type: 'training_record', id: found.record.id, ...found.scope })
  const proof = await readProof(db, found.record.id)
  if (!proof) notFound()
  if (user.personId !== found.record.personId) {
    await audit(db, request, actorOf(user), {
      action: 'training.external_proof_viewed',
      recordType: 'training_record',
      recordId: found.record.id,
    })
  }
  const info = PROOF_TYPES[proof.type]
  return new Response(proof.bytes, {
    headers: {
      'Content-Type': info.mime,
      'Content-Length': String(proof.bytes.length),
      // Images open in the tab; PDFs download (a sandboxed PDF viewer would show nothing).
      'Content-Disposition': `${proof.type === 'pdf' ? 'attachment' : 'inline'}; filename="training-proof-${found.record.id}.${info.extension}"`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    },
  })
}
