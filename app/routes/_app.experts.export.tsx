import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { getDb } from '#app/lib/db.server.ts'
import { forbidden } from '#app/lib/http.server.ts'
import { spreadsheetResponse } from '#app/lib/xlsx/write.server.ts'
import { type AuthUser, requirePermission } from '#app/modules/auth/authz.server.ts'
import { exportFileName, exportRoster } from '#app/modules/experts/export.server.ts'
import { parseRosterQuery } from '#app/modules/experts/roster.ts'
import { expertViewScope } from '#app/modules/experts/scope.ts'

/** Staff who list the roster export it; an expert (own profile only) has no roster to export. */
async function requireExporter(request: Request): Promise<AuthUser> {
  const user = await requirePermission(request, 'expert:view')
  const view = expertViewScope(user)
  if (!view.everything && !view.subtreePaths.length) forbidden()
  return user
}

async function exportResponse(request: Request, user: AuthUser, full: boolean) {
  const query = parseRosterQuery(new URL(request.url))
  const { body } = await exportRoster(getDb(), request, user, query, { full })
  return spreadsheetResponse(body, exportFileName())
}

/** The filtered roster (the roster's own URL parameters) as .xlsx, numbers masked. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireExporter(request)
  return exportResponse(request, user, false)
}

/** The same, posted with `full=1` ("含完整号码"): full numbers for users who may reveal them (audited). */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireExporter(request)
  const form = await request.formData()
  const full = form.get('full') === '1'
  // Holding the permission at all (a refusal is logged); which experts' numbers it reaches is decided per row.
  if (full) await requirePermission(request, 'expert:reveal')
  return exportResponse(request, user, full)
}
