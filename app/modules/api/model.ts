/**
 * The partner API's vocabulary as pure data: client kinds, scopes and which kinds may refer cases.
 * No I/O here, so the rules are unit-tested and shared by the admin form and the API.
 */
import type { ApiClientKind, CaseSource } from '#db/schema.ts'

export const CLIENT_KINDS = ['court', 'police', 'procuratorate', 'partner'] as const satisfies readonly ApiClientKind[]

/** What a client may do; an access token carries a subset of its client's scopes. */
export const API_SCOPES = ['organisations:read', 'mediators:read', 'experts:read', 'cases:refer', 'cases:read'] as const
export type ApiScope = (typeof API_SCOPES)[number]

/** Courts refer 诉调 cases and police 警调 cases; other partners only read. */
export const REFERRAL_SOURCE: Partial<Record<ApiClientKind, Extract<CaseSource, 'court' | 'police'>>> = {
  court: 'court',
  police: 'police',
}

export function canRefer(kind: ApiClientKind): boolean {
  return REFERRAL_SOURCE[kind] !== undefined
}

export function isApiScope(value: unknown): value is ApiScope {
  return typeof value === 'string' && (API_SCOPES as readonly string[]).includes(value)
}

/** Scopes stored as a JSON array; anything unknown is dropped rather than trusted. */
export function parseScopes(json: string | null | undefined): ApiScope[] {
  if (!json) return []
  try {
    const value: unknown = JSON.parse(json)
    return Array.isArray(value) ? API_SCOPES.filter((s) => value.includes(s)) : []
  } catch {
    return []
  }
}

/** The scopes a client may hold given its kind: referral scopes only for courts and police. */
export function allowedScopes(kind: ApiClientKind): ApiScope[] {
  return API_SCOPES.filter((s) => s !== 'cases:refer' || canRefer(kind))
}

/**
 * The scopes an OAuth token request asks for (space-separated, RFC 6749 §3.3), or every scope of the
 * client when absent. Null when it asks for one the client does not hold (invalid_scope).
 */
export function grantedScopes(requested: string | null | undefined, held: readonly ApiScope[]): ApiScope[] | null {
  if (requested === null || requested === undefined || requested.trim() === '') return [...held]
  const asked = [...new Set(requested.trim().split(/\s+/))]
  if (!asked.every((s) => isApiScope(s) && held.includes(s))) return null
  return API_SCOPES.filter((s) => asked.includes(s))
}

/** Prefixes make a leaked credential recognisable (secret scanners) and tell the two kinds apart. */
export const SECRET_PREFIX = 'tjs_'
export const ACCESS_TOKEN_PREFIX = 'tja_'
/** Access tokens live fifteen minutes; clients ask for a new one with their credentials. */
export const ACCESS_TOKEN_SECONDS = 900

export const RATE_LIMIT_MIN = 1
export const RATE_LIMIT_MAX = 6000
export const DEFAULT_RATE_LIMIT = 120

/** Largest JSON body the API reads; larger requests get 413 before parsing. */
export const MAX_API_BODY_BYTES = 64 * 1024
