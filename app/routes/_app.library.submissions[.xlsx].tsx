import type { LoaderFunctionArgs } from '@remix-run/node'
import { getDb } from '#app/lib/db.server.ts'
import { spreadsheetResponse } from '#app/lib/xlsx/write.server.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { submissionQueueWorkbook } from '#app/modules/stats/lists.server.ts'

/** The review queue (submissions awaiting review in the reviewer's scope) as .xlsx, audited. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'library:review')
  const { body, fileName } = await submissionQueueWorkbook(getDb(), request, user)
  return spreadsheetResponse(body, fileName)
}
