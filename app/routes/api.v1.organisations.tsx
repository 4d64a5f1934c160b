import type { LoaderFunctionArgs } from '@remix-run/node'
import { getDb } from '#app/lib/db.server.ts'
import { listOrganisations } from '#app/modules/api/catalog.server.ts'
import { apiCall, methodNotAllowed } from '#app/modules/api/handler.server.ts'
import { jsonWithEtag, parseQuery } from '#app/modules/api/respond.server.ts'
import { organisationsQuery } from '#app/modules/api/schemas.ts'

/** GET /api/v1/organisations: bearer credentials only (never a session cookie), see docs/api.md. */
export async function loader({ request }: LoaderFunctionArgs) {
  return apiCall(request, { operation: 'listOrganisations', scope: 'organisations:read' }, async (client) => {
    const query = parseQuery(organisationsQuery, new URL(request.url))
    return jsonWithEtag(request, await listOrganisations(getDb(), client, query))
  })
}

export const action = () => methodNotAllowed('GET')
