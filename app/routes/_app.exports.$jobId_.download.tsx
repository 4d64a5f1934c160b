import type { LoaderFunctionArgs } from '@remix-run/node'
import { getDb } from '#app/lib/db.server.ts'
import { requireUser } from '#app/modules/auth/authz.server.ts'
import { downloadExport } from '#app/modules/jobs/jobs.server.ts'

/** The finished file of the user's own export: permission checked again, audited, never cached. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return downloadExport(getDb(), request, user, params.jobId ?? '')
}
