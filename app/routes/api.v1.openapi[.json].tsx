import type { LoaderFunctionArgs } from '@remix-run/node'
import { methodNotAllowed } from '#app/modules/api/handler.server.ts'
import { openApiDocument } from '#app/modules/api/openapi.ts'
import { jsonWithEtag } from '#app/modules/api/respond.server.ts'

/** The OpenAPI 3.1 document, public: it describes the API, not anyone's data. */
export async function loader({ request }: LoaderFunctionArgs) {
  return jsonWithEtag(request, openApiDocument(), 200, { 'Cache-Control': 'public, max-age=300', Vary: 'Accept-Encoding' })
}

export const action = () => methodNotAllowed('GET')
