/**
 * Facts about the incoming request that the server (server/app.js) establishes. The client address
 * travels in a header the server overwrites on every request, so a client cannot forge it.
 */
export const CLIENT_ADDRESS_HEADER = 'x-tiaojie-client-address'

export function clientAddress(request: Request): string | null {
  return request.headers.get(CLIENT_ADDRESS_HEADER)
}

export function userAgent(request: Request): string | null {
  return request.headers.get('user-agent')
}
