import type { LoaderFunctionArgs } from '@remix-run/node'
import { getDb } from '#app/lib/db.server.ts'
import { listExperts } from '#app/modules/api/catalog.server.ts'
import { apiCall, methodNotAllowed } from '#app/modules/api/handler.server.ts'
import { jsonWithEtag, parseQuery } from '#app/modules/api/respond.server.ts'
import { expertsQuery } from '#app/modules/api/schemas.ts'

/** GET /api/v1/experts: public fields of experts serving the client's region (bearer credentials only). */
export async function loader({ request }: LoaderFunctionArgs) {
  return apiCall(request, { operation: 'listExperts', scope: 'experts:read' }, async (client) => {
    const query = parseQuery(expertsQuery, new URL(request.url))
    return jsonWithEtag(request, await listExperts(getDb(), client, query))
  })
}

export const action = () => methodNotAllowed('GET')
