import type { LoaderFunctionArgs } from '@remix-run/node'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { getLocale } from '#app/lib/i18n.server.ts'
import { isId } from '#app/lib/ids.ts'
import { actorOf, requirePermission, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import { getPerson } from '#app/modules/people/people.server.ts'
import { archiveWithDrills, listArchive } from '#app/modules/training/archive.server.ts'
import { archiveWorkbook } from '#app/modules/training/export.server.ts'

/** Downloads a training archive as .xlsx: same access as the archive page, and audited. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'training:view')
  const id = params.personId
  if (!isId(id)) notFound()
  const db = getDb()
  const found = await getPerson(db, id)
  if (!found) notFound()
  await requireRecordAccess(request, user, 'training:view', { type: 'training_archive', id, ...found.scope })
  const [records, { years, drills }] = await Promise.all([listArchive(db, id), archiveWithDrills(db, id)])
  const body = await archiveWorkbook(await getLocale(request), found.profile.name, years, records, drills)
  await audit(db, request, actorOf(user), {
    action: 'training.archive_exported',
    recordType: 'training_archive',
    recordId: id,
    detail: { records: records.length },
  })
  return new Response(body, {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="training-archive.xlsx"; filename*=UTF-8''${encodeURIComponent(`培训档案-${found.profile.name}.xlsx`)}`,
      'Cache-Control': 'no-store',
    },
  })
}
