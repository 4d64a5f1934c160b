import type { LoaderFunctionArgs } from '@remix-run/node'
import { getDb } from '#app/lib/db.server.ts'
import { spreadsheetResponse } from '#app/lib/xlsx/write.server.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { CASE_STATUSES } from '#app/modules/cases/model.ts'
import { caseListWorkbook } from '#app/modules/stats/lists.server.ts'
import type { CaseStatus } from '#db/schema.ts'

/** The case list as .xlsx (same status filter and search as /cases, no row cap), audited. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'case:view')
  const url = new URL(request.url)
  // Read as the list reads them: 'open' by default, 'all' for every status.
  const raw = url.searchParams.get('status') ?? 'open'
  const status =
    raw === 'all' ? null : raw === 'open' || (CASE_STATUSES as readonly string[]).includes(raw) ? (raw as CaseStatus | 'open') : 'open'
  const q = url.searchParams.get('q')?.trim().slice(0, 100) || null
  const { body, fileName } = await caseListWorkbook(getDb(), request, user, { status, q })
  return spreadsheetResponse(body, fileName)
}
