import type { LoaderFunctionArgs } from '@remix-run/node'
import { getDb } from '#app/lib/db.server.ts'
import { forbidden, notFound } from '#app/lib/http.server.ts'
import { todayInChina } from '#app/lib/time.ts'
import { spreadsheetResponse } from '#app/lib/xlsx/write.server.ts'
import { requirePermission, requireUser } from '#app/modules/auth/authz.server.ts'
import { AREA_PERMISSION, isStatsArea, parseStatsFilters } from '#app/modules/stats/model.ts'
import { statsWorkbook } from '#app/modules/stats/report.server.ts'
import { visibleAreas } from '#app/modules/stats/scope.server.ts'

/**
 * A statistics area as .xlsx (`/stats/cases/export.xlsx`, the page's filters): a resource route of
 * its own, checked exactly like the page (`_app.stats.$area.tsx`), audited by statsWorkbook.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  // Signed in first: an anonymous visitor goes to /login whatever the URL names.
  await requireUser(request)
  const area = params.area ?? ''
  if (!isStatsArea(area)) notFound()
  const user = await requirePermission(request, AREA_PERMISSION[area])
  if (!visibleAreas(user).includes(area)) forbidden()
  const filters = parseStatsFilters(new URL(request.url), todayInChina())
  const { body, fileName } = await statsWorkbook(getDb(), request, user, area, filters)
  return spreadsheetResponse(body, fileName)
}
