/**
 * OAuth 2.0 client credentials grant (RFC 6749 §4.4) at POST /api/v1/oauth/token. The client
 * authenticates with HTTP Basic (preferred, §2.3.1) or client_id/client_secret in the form body,
 * never both; the access token is 256 random bits, stored only as its hash, valid fifteen minutes.
 * Errors use the RFC's own body (`{ "error": "invalid_client" }`), not the API's error object.
 */
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { isId } from '#app/lib/ids.ts'
import { nowIso } from '#app/lib/time.ts'
import { apiActor } from './handler.server.ts'
import { ACCESS_TOKEN_SECONDS, grantedScopes, parseScopes } from './model.ts'
import { consumeRateLimit } from './rate-limit.server.ts'
import { json } from './respond.server.ts'
import { hashCredential, newAccessToken, sameHash } from './secrets.server.ts'

type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope' | 'unauthorized_client'

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' }

function oauthError(code: OAuthErrorCode, description: string, basic = false): Response {
  const status = code === 'invalid_client' ? 401 : 400
  const headers: Record<string, string> = { ...NO_STORE }
  if (code === 'invalid_client') headers['WWW-Authenticate'] = basic ? 'Basic realm="tiaojie-api"' : 'Bearer realm="tiaojie-api"'
  return json({ error: code, error_description: description }, status, headers)
}

/** `Authorization: Basic base64(urlencode(id):urlencode(secret))`, or null when absent or malformed. */
export function basicCredentials(header: string | null): { id: string; secret: string } | null {
  const match = header ? /^Basic +([A-Za-z0-9+/=]+)$/i.exec(header.trim()) : null
  if (!match) return null
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return null
  try {
    return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) }
  } catch {
    return null
  }
}

export async function tokenEndpoint(request: Request): Promise<Response> {
  const db = getDb()
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (type !== 'application/x-www-form-urlencoded') {
    return oauthError('invalid_request', 'Send the parameters as application/x-www-form-urlencoded.')
  }
  const text = await request.text()
  if (text.length > 4096) return oauthError('invalid_request', 'The request is too large.')
  const form = new URLSearchParams(text)
  // RFC 6749 §3.2: parameters must not repeat; unknown ones are ignored.
  for (const name of ['grant_type', 'client_id', 'client_secret', 'scope']) {
    if (form.getAll(name).length > 1) return oauthError('invalid_request', `${name} is given more than once.`)
  }
  const header = request.headers.get('authorization')
  const basic = basicCredentials(header)
  if (header && !basic) return oauthError('invalid_client', 'Unreadable Authorization header.', true)
  const inBody = form.has('client_id') || form.has('client_secret')
  if (basic && inBody) return oauthError('invalid_request', 'Use one client authentication method, not two.')
  const id = basic?.id ?? form.get('client_id') ?? ''
  const secret = basic?.secret ?? form.get('client_secret') ?? ''
  if (!id || !secret) return oauthError('invalid_client', 'Client authentication is required.', !!basic || !inBody)

  const client = isId(id)
    ? await db
        .selectFrom('api_clients')
        .select(['id', 'name', 'kind', 'region_code', 'scopes', 'secret_hash', 'status', 'rate_limit_per_minute'])
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined
  // Hash whatever was sent even for an unknown id, so both failures cost the same.
  const presented = hashCredential(secret)
  const valid = !!client && client.status === 'active' && sameHash(presented, client.secret_hash)
  const actor = apiActor(client ? { name: client.name, regionCode: client.region_code } : null)
  if (!valid) {
    await audit(db, request, actor, {
      action: 'api.token_refused',
      recordType: client ? 'api_client' : undefined,
      recordId: client?.id,
      result: 'denied',
      detail: { reason: 'invalid_client' },
    })
    return oauthError('invalid_client', 'Unknown client or wrong secret.', !!basic)
  }
  const rate = await consumeRateLimit(db, client.id, Number(client.rate_limit_per_minute))
  if (!rate.allowed) {
    await audit(db, request, actor, {
      action: 'api.token_refused',
      recordType: 'api_client',
      recordId: client.id,
      result: 'denied',
      detail: { reason: 'rate_limited' },
    })
    return json({ error: 'rate_limited', error_description: 'Too many requests.' }, 429, {
      ...NO_STORE,
      'Retry-After': String(rate.resetSeconds),
    })
  }
  const grantType = form.get('grant_type')
  if (!grantType) return oauthError('invalid_request', 'grant_type is required.')
  if (grantType !== 'client_credentials') return oauthError('unsupported_grant_type', 'Only client_credentials is supported.')
  const scopes = grantedScopes(form.get('scope'), parseScopes(client.scopes))
  if (!scopes) {
    await audit(db, request, actor, {
      action: 'api.token_refused',
      recordType: 'api_client',
      recordId: client.id,
      result: 'denied',
      detail: { reason: 'invalid_scope' },
    })
    return oauthError('invalid_scope', 'A requested scope is not granted to this client.')
  }
  const token = newAccessToken()
  const now = nowIso()
  const expiresAt = new Date(Date.parse(now) + ACCESS_TOKEN_SECONDS * 1000).toISOString()
  await db.deleteFrom('api_access_tokens').where('client_id', '=', client.id).where('expires_at', '<=', now).execute()
  await db
    .insertInto('api_access_tokens')
    .values({
      token_hash: hashCredential(token),
      client_id: client.id,
      scopes: JSON.stringify(scopes),
      expires_at: expiresAt,
      created_at: now,
    })
    .execute()
  await audit(db, request, actor, {
    action: 'api.token_issued',
    recordType: 'api_client',
    recordId: client.id,
    detail: { scopes, expiresAt },
  })
  return json({ access_token: token, token_type: 'Bearer', expires_in: ACCESS_TOKEN_SECONDS, scope: scopes.join(' ') }, 200, NO_STORE)
}
