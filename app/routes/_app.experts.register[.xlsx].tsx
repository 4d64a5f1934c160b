import type { LoaderFunctionArgs } from '@remix-run/node'
import { getDb } from '#app/lib/db.server.ts'
import { forbidden } from '#app/lib/http.server.ts'
import { spreadsheetResponse } from '#app/lib/xlsx/write.server.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { exportRoster } from '#app/modules/experts/export.server.ts'
import { parseRosterQuery } from '#app/modules/experts/roster.ts'
import { expertViewScope } from '#app/modules/experts/scope.ts'
import { todayInChina } from '#app/lib/time.ts'

/**
 * 专家名册 in one click: the roster export (same columns, masking, scope and audit) of the experts
 * in office (status 在库 unless the URL names another), every page.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'expert:view')
  const view = expertViewScope(user)
  if (!view.everything && !view.subtreePaths.length) forbidden()
  const query = parseRosterQuery(new URL(request.url))
  const { body } = await exportRoster(getDb(), request, user, { ...query, status: query.status ?? 'active' }, { full: false })
  return spreadsheetResponse(body, `专家名册-${todayInChina()}.xlsx`)
}
