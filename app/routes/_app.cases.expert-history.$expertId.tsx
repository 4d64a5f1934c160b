import type { LoaderFunctionArgs } from '@remix-run/node'
import { getDb } from '#app/lib/db.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { isId } from '#app/lib/ids.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { expertHistory } from '#app/modules/cases/consultations.server.ts'
import { requireExpert } from '#app/modules/experts/access.server.ts'

/** Data for the consultation history panel on the expert's page (same access as the page). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'expert:view')
  if (!isId(params.expertId)) notFound()
  const expert = await requireExpert(request, user, params.expertId, 'view')
  return expertHistory(getDb(), expert.personId)
}
