/**
 * Who is calling the API. Only the `Authorization: Bearer` header counts: an OAuth access token
 * (`tja_…`, from POST /api/v1/oauth/token) or the client's own secret used as an API token
 * (`tjs_…`). Cookies are never read, so a browser session can never act through the API and the
 * API needs no CSRF Origin check (docs/decisions/020-partner-api.md).
 */
import type { ApiClientKind } from '#db/schema.ts'
import type { Executor } from '#app/lib/db.server.ts'
import { nowIso } from '#app/lib/time.ts'
import { ACCESS_TOKEN_PREFIX, type ApiScope, SECRET_PREFIX, parseScopes } from './model.ts'
import { hashCredential } from './secrets.server.ts'

export interface ApiClientPrincipal {
  id: string
  name: string
  kind: ApiClientKind
  regionCode: string
  /** Materialised path of the client's region (`/110000/110108/`): its records are in this subtree. */
  regionPath: string
  scopes: ApiScope[]
  rateLimitPerMinute: number
  via: 'token' | 'secret'
}

/** The bearer credential of a request, or null (a Basic or malformed header is not one). */
export function bearerCredential(request: Request): string | null {
  const header = request.headers.get('authorization')
  if (!header) return null
  const match = /^Bearer +([A-Za-z0-9._~+/=-]{8,400})$/i.exec(header.trim())
  return match ? match[1]! : null
}

export async function authenticateApiRequest(db: Executor, request: Request): Promise<ApiClientPrincipal | null> {
  const credential = bearerCredential(request)
  if (!credential) return null
  const hash = hashCredential(credential)
  const base = db
    .selectFrom('api_clients as k')
    .innerJoin('regions as r', 'r.code', 'k.region_code')
    .select(['k.id', 'k.name', 'k.kind', 'k.region_code', 'r.path', 'k.scopes', 'k.rate_limit_per_minute'])
    .where('k.status', '=', 'active')
  if (credential.startsWith(ACCESS_TOKEN_PREFIX)) {
    const row = await base
      .innerJoin('api_access_tokens as t', 't.client_id', 'k.id')
      .select('t.scopes as token_scopes')
      .where('t.token_hash', '=', hash)
      .where('t.expires_at', '>', nowIso())
      .executeTakeFirst()
    if (!row) return null
    // A token never outlives a scope the administrator has since taken away.
    const held = parseScopes(row.scopes)
    return principal(
      row,
      parseScopes(row.token_scopes).filter((s) => held.includes(s)),
      'token',
    )
  }
  if (credential.startsWith(SECRET_PREFIX)) {
    const row = await base.where('k.secret_hash', '=', hash).executeTakeFirst()
    return row ? principal(row, parseScopes(row.scopes), 'secret') : null
  }
  return null
}

function principal(
  row: { id: string; name: string; kind: ApiClientKind; region_code: string; path: string; rate_limit_per_minute: number },
  scopes: ApiScope[],
  via: ApiClientPrincipal['via'],
): ApiClientPrincipal {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    regionCode: row.region_code,
    regionPath: row.path,
    scopes,
    rateLimitPerMinute: Number(row.rate_limit_per_minute),
    via,
  }
}
