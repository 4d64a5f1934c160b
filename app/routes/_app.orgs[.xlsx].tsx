import type { LoaderFunctionArgs } from '@remix-run/node'
import { getDb } from '#app/lib/db.server.ts'
import { spreadsheetResponse } from '#app/lib/xlsx/write.server.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { parseOrgFilters } from '#app/modules/orgs/filters.ts'
import { orgListWorkbook } from '#app/modules/stats/lists.server.ts'

/** The organisation list as .xlsx (same filters and scope as /orgs, every page), audited. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'org:view')
  const { body, fileName } = await orgListWorkbook(getDb(), request, user, parseOrgFilters(new URL(request.url)))
  return spreadsheetResponse(body, fileName)
}
