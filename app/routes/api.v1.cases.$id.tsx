import type { LoaderFunctionArgs } from '@remix-run/node'
import { getDb } from '#app/lib/db.server.ts'
import { isId } from '#app/lib/ids.ts'
import { apiCall, methodNotAllowed } from '#app/modules/api/handler.server.ts'
import { getReferral } from '#app/modules/api/referrals.server.ts'
import { jsonWithEtag, notFoundProblem } from '#app/modules/api/respond.server.ts'

/** GET /api/v1/cases/{id}: one of the client's own referrals; any other case answers 404. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return apiCall(request, { operation: 'getReferral', scope: 'cases:read' }, async (client) => {
    const id = params.id ?? ''
    const referral = isId(id) ? await getReferral(getDb(), client, id) : null
    if (!referral) throw notFoundProblem()
    return jsonWithEtag(request, referral)
  })
}

export const action = () => methodNotAllowed('GET')
