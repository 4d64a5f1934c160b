import type { ActionFunctionArgs } from '@remix-run/node'
import { methodNotAllowed } from '#app/modules/api/handler.server.ts'
import { tokenEndpoint } from '#app/modules/api/oauth.server.ts'

/** POST /api/v1/oauth/token: OAuth 2.0 client credentials grant (RFC 6749 §4.4). */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== 'POST') return methodNotAllowed('POST')
  return tokenEndpoint(request)
}

export const loader = () => methodNotAllowed('POST')
