import type { LoaderFunctionArgs } from '@remix-run/node'
import { getDb } from '#app/lib/db.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { spreadsheetResponse } from '#app/lib/xlsx/write.server.ts'
import { requireRecordAccess, requireUser } from '#app/modules/auth/authz.server.ts'
import { loadDrills } from '#app/modules/drills/content.server.ts'
import { getEvent } from '#app/modules/drills/events.server.ts'
import { drillEventWorkbook } from '#app/modules/stats/lists.server.ts'

/** A drill event's results as .xlsx, with every name: for staff who manage the event's region only; audited. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const db = getDb()
  const event = params.eventId ? await getEvent(db, params.eventId) : null
  if (!event) notFound()
  await requireRecordAccess(request, user, 'drill:manage', {
    type: 'drill_event',
    id: event.id,
    regionPath: event.regionPath,
    personId: null,
  })
  const drills = await loadDrills(db)
  const titles = new Map([...drills.values()].map((d) => [d.slug, d.structure.title]))
  const { body, fileName } = await drillEventWorkbook(db, request, user, event, titles)
  return spreadsheetResponse(body, fileName)
}
