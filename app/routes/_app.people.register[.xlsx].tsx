import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { getDb } from '#app/lib/db.server.ts'
import { spreadsheetResponse } from '#app/lib/xlsx/write.server.ts'
import { forbidden } from '#app/lib/http.server.ts'
import { type AuthUser, requirePermission, scopeFor } from '#app/modules/auth/authz.server.ts'
import { parsePeopleFilters } from '#app/modules/people/filters.ts'
import { mediatorRegister } from '#app/modules/stats/lists.server.ts'

/** A register is a list: users whose reach is their own record (mediators, experts) have none. */
async function requireLister(request: Request): Promise<AuthUser> {
  const user = await requirePermission(request, 'person:view')
  const scope = scopeFor(user, 'person:view')
  if (!scope.everything && !scope.regionPaths.length && !scope.orgIds.length) forbidden()
  return user
}

async function registerResponse(request: Request, user: AuthUser, full: boolean) {
  const filters = parsePeopleFilters(new URL(request.url))
  const { body, fileName } = await mediatorRegister(getDb(), request, user, filters, { full })
  return spreadsheetResponse(body, fileName)
}

/** 调解员名册 in one click: the mediator list's filters, every page, numbers masked; audited. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireLister(request)
  return registerResponse(request, user, false)
}

/** The same posted with `full=1`: full ID and phone numbers for holders of person:reveal (per person in its reach), audited. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireLister(request)
  const form = await request.formData()
  const full = form.get('full') === '1'
  // Holding the permission at all (a refusal is logged); which people it reaches is decided per row.
  if (full) await requirePermission(request, 'person:reveal')
  return registerResponse(request, user, full)
}
