/**
 * Every loader and action asks here: who is this, and may they do X to this record?
 * Out-of-scope reads answer 404 (and are logged); missing permissions answer 403.
 */
import { redirect } from '@remix-run/node'
import type { Role } from '#db/schema.ts'
import { audit, type AuditActor } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { forbidden, notFound } from '#app/lib/http.server.ts'
import {
  allows,
  hasPermission,
  listScope,
  ORG_SCOPED,
  type ListScope,
  type Permission,
  type Principal,
  type RecordScope,
  type ResolvedGrant,
} from './policy.ts'
import { blankSessionCookie, endAllSessions, readSession, sessionTokenOf } from './session.server.ts'

export interface AuthUser extends Principal {
  username: string
  displayName: string
  sessionHandle: string
}

export async function loadGrants(userId: string): Promise<ResolvedGrant[]> {
  const rows = await getDb()
    .selectFrom('role_grants as g')
    .leftJoin('organisations as o', 'o.id', 'g.org_id')
    .leftJoin('regions as r', (join) =>
      // Region-scoped grants name their region; organisation-scoped ones reach the organisation's region.
      join.on((eb) => eb('r.code', '=', eb.fn.coalesce('g.region_code', 'o.region_code'))),
    )
    .select(['g.role', 'g.region_code', 'g.org_id', 'r.path', 'r.code as resolved_region'])
    .where('g.user_id', '=', userId)
    .orderBy('g.created_at')
    .execute()
  return rows.map((r) => ({
    role: r.role as Role,
    regionCode: r.resolved_region ?? null,
    regionPath: r.path ?? null,
    orgId: ORG_SCOPED.includes(r.role as Role) ? r.org_id : null,
  }))
}

/**
 * Look-ups in flight, by session token. Remix runs a page's loaders in parallel, and the signed-in
 * layout and the page each ask who the user is: they share one look-up (two queries per page
 * instead of four; docs/decisions/031-load-test-findings.md). An entry lives only while its
 * look-up runs, so nothing is remembered between requests: a disabled account, an ended session
 * or a changed grant shows on the very next request, as before.
 */
const lookupsInFlight = new Map<string, Promise<AuthUser | null>>()

/** The signed-in user, or null. Disabled accounts lose their sessions here. */
export function getOptionalUser(request: Request): Promise<AuthUser | null> {
  const token = sessionTokenOf(request)
  if (!token) return Promise.resolve(null)
  let lookup = lookupsInFlight.get(token)
  if (!lookup) {
    lookup = lookUpUser(request).finally(() => lookupsInFlight.delete(token))
    lookupsInFlight.set(token, lookup)
  }
  // Each caller gets its own copy: a loader that changes its user changes no other loader's.
  return lookup.then((user) => user && { ...user, grants: user.grants.map((g) => ({ ...g })) })
}

async function lookUpUser(request: Request): Promise<AuthUser | null> {
  const session = await readSession(request)
  if (!session) return null
  if (session.user.status !== 'active') {
    await endAllSessions(session.user.id)
    return null
  }
  return {
    userId: session.user.id,
    personId: session.user.personId,
    username: session.user.username,
    displayName: session.user.displayName,
    sessionHandle: session.handle,
    grants: await loadGrants(session.user.id),
  }
}

export async function requireUser(request: Request): Promise<AuthUser> {
  const user = await getOptionalUser(request)
  if (user) return user
  const url = new URL(request.url)
  const back = url.pathname + url.search
  const headers = request.headers.get('Cookie')?.includes('session=') ? { 'Set-Cookie': blankSessionCookie() } : undefined
  throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`, { headers })
}

export function actorFromGrants(userId: string, username: string, grants: ResolvedGrant[]): AuditActor {
  return {
    userId,
    username,
    roles: [...new Set(grants.map((g) => g.role))].join(',') || null,
    scope: grants.map((g) => g.regionCode ?? g.orgId ?? '*').join(',') || null,
  }
}

export function actorOf(user: AuthUser | null): AuditActor {
  if (!user) return { userId: null, username: null, roles: null, scope: null }
  return actorFromGrants(user.userId, user.username, user.grants)
}

/** The user, if some grant gives them this permission anywhere; otherwise 403 (logged). */
export async function requirePermission(request: Request, permission: Permission): Promise<AuthUser> {
  const user = await requireUser(request)
  if (!hasPermission(user, permission)) {
    await audit(getDb(), request, actorOf(user), {
      action: 'authz.forbidden',
      result: 'denied',
      detail: { permission, path: new URL(request.url).pathname },
    })
    forbidden()
  }
  return user
}

/**
 * Checks one record. Someone who holds the permission elsewhere gets 404 for a record outside
 * their scope (no hint that it exists); someone without the permission at all gets 403.
 */
export async function requireRecordAccess(
  request: Request,
  user: AuthUser,
  permission: Permission,
  record: RecordScope & { type: string; id: string },
): Promise<void> {
  if (allows(user, permission, record)) return
  const inScopeElsewhere = hasPermission(user, permission)
  await audit(getDb(), request, actorOf(user), {
    action: inScopeElsewhere ? 'authz.out_of_scope' : 'authz.forbidden',
    recordType: record.type,
    recordId: record.id,
    result: 'denied',
    detail: { permission },
  })
  if (inScopeElsewhere) notFound()
  forbidden()
}

export function may(user: AuthUser | null, permission: Permission, record?: RecordScope): boolean {
  return !!user && allows(user, permission, record)
}

export function scopeFor(user: AuthUser, permission: Permission): ListScope {
  return listScope(user, permission)
}
