import type { LoaderFunctionArgs } from '@remix-run/node'
import { getDb } from '#app/lib/db.server.ts'
import { listMediators } from '#app/modules/api/catalog.server.ts'
import { apiCall, methodNotAllowed } from '#app/modules/api/handler.server.ts'
import { jsonWithEtag, parseQuery } from '#app/modules/api/respond.server.ts'
import { mediatorsQuery } from '#app/modules/api/schemas.ts'

/** GET /api/v1/mediators: graded mediators in the client's region (bearer credentials only). */
export async function loader({ request }: LoaderFunctionArgs) {
  return apiCall(request, { operation: 'listMediators', scope: 'mediators:read' }, async (client) => {
    const query = parseQuery(mediatorsQuery, new URL(request.url))
    return jsonWithEtag(request, await listMediators(getDb(), client, query))
  })
}

export const action = () => methodNotAllowed('GET')
