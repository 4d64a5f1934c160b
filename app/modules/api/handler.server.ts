/**
 * The one way into an API operation: authenticate the bearer credential, count the request against
 * the client's rate limit, check the operation's scope, run it, and audit the call whatever the
 * outcome. Errors leave as the API's error object, never as an HTML page.
 */
import { type AuditActor, audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { nowIso } from '#app/lib/time.ts'
import type { AuditResult } from '#db/schema.ts'
import { type ApiClientPrincipal, authenticateApiRequest } from './auth.server.ts'
import type { ApiScope } from './model.ts'
import { consumeRateLimit } from './rate-limit.server.ts'
import { ApiProblem, apiError, problemResponse } from './respond.server.ts'

export interface ApiOperation {
  /** The operationId in the OpenAPI document, also the audit detail. */
  operation: string
  scope: ApiScope
}

export function apiActor(client: Pick<ApiClientPrincipal, 'name' | 'regionCode'> | null): AuditActor {
  if (!client) return { userId: null, username: null, roles: 'api_client', scope: null }
  return { userId: null, username: `api:${client.name}`, roles: 'api_client', scope: client.regionCode }
}

function resultOf(status: number): AuditResult {
  if (status < 400) return 'ok'
  if (status === 401 || status === 403 || status === 404 || status === 429) return 'denied'
  return 'failed'
}

const UNAUTHORIZED_HEADERS = { 'WWW-Authenticate': 'Bearer realm="tiaojie-api"' }

export async function apiCall(
  request: Request,
  op: ApiOperation,
  work: (client: ApiClientPrincipal) => Promise<Response>,
): Promise<Response> {
  const db = getDb()
  const path = new URL(request.url).pathname
  const client = await authenticateApiRequest(db, request)
  if (!client) {
    await audit(db, request, apiActor(null), {
      action: 'api.unauthorized',
      result: 'denied',
      detail: { operation: op.operation, method: request.method, path },
    })
    return apiError(401, 'unauthorized', 'A valid bearer token or API secret is required.', undefined, {
      ...UNAUTHORIZED_HEADERS,
      'WWW-Authenticate': request.headers.get('authorization')
        ? 'Bearer realm="tiaojie-api", error="invalid_token"'
        : UNAUTHORIZED_HEADERS['WWW-Authenticate'],
    })
  }
  const rate = await consumeRateLimit(db, client.id, client.rateLimitPerMinute)
  const rateHeaders = {
    'RateLimit-Limit': String(rate.limit),
    'RateLimit-Remaining': String(rate.remaining),
    'RateLimit-Reset': String(rate.resetSeconds),
  }
  let response: Response
  if (!rate.allowed) {
    response = apiError(429, 'rate_limited', `At most ${rate.limit} requests a minute; try again later.`, undefined, {
      'Retry-After': String(rate.resetSeconds),
    })
  } else if (!client.scopes.includes(op.scope)) {
    response = apiError(403, 'insufficient_scope', `This operation needs the scope ${op.scope}.`, undefined, {
      'WWW-Authenticate': `Bearer realm="tiaojie-api", error="insufficient_scope", scope="${op.scope}"`,
    })
  } else {
    try {
      response = await work(client)
    } catch (error) {
      if (error instanceof ApiProblem) response = problemResponse(error)
      else {
        // Logged for operators; the client gets the generic error object (no stack, no SQL).
        console.error(`[api] ${op.operation} failed`, error)
        response = apiError(500, 'server_error', 'Something went wrong on our side; try again later.')
      }
    }
  }
  for (const [name, value] of Object.entries(rateHeaders)) response.headers.set(name, value)
  await audit(db, request, apiActor(client), {
    action: 'api.call',
    recordType: 'api_client',
    recordId: client.id,
    result: resultOf(response.status),
    detail: { operation: op.operation, method: request.method, path, status: response.status, via: client.via },
  })
  await touchClient(client.id)
  return response
}

/** last_used_at, written at most once a minute per client so busy clients do not write on every call. */
async function touchClient(clientId: string): Promise<void> {
  const now = nowIso()
  const minuteAgo = new Date(Date.parse(now) - 60_000).toISOString()
  await getDb()
    .updateTable('api_clients')
    .set({ last_used_at: now })
    .where('id', '=', clientId)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', minuteAgo)]))
    .execute()
}

/** For API routes that do not take this method (resource routes answer every method). */
export function methodNotAllowed(allow: string): Response {
  return apiError(405, 'method_not_allowed', `Use ${allow}.`, undefined, { Allow: allow })
}
