/**
 * Rules for role grants, pure so they are unit-tested: which scope a role needs, what a grant
 * looks like once normalised, and the guard that keeps an administrator from locking themselves
 * out. The database checks (does the region or organisation exist, is it an association) live in
 * users.server.ts.
 */
import type { Role } from '#db/schema.ts'
import { ORG_SCOPED, PRIVILEGED_ROLES, REGION_SCOPED } from '#app/modules/auth/policy.ts'

export type ScopeKind = 'region' | 'org' | 'none'

export function scopeKindOf(role: Role): ScopeKind {
  if (REGION_SCOPED.includes(role)) return 'region'
  if (ORG_SCOPED.includes(role)) return 'org'
  return 'none'
}

export interface GrantInput {
  role: Role
  regionCode?: string | null
  orgId?: string | null
}

export interface NormalisedGrant {
  role: Role
  regionCode: string | null
  orgId: string | null
}

/** Keeps only the scope the role uses, so a stray region on an admin grant is never stored. */
export function normaliseGrant(input: GrantInput): NormalisedGrant {
  const kind = scopeKindOf(input.role)
  return {
    role: input.role,
    regionCode: kind === 'region' ? input.regionCode || null : null,
    orgId: kind === 'org' ? input.orgId || null : null,
  }
}

/** The field and message for a grant whose role needs a scope it lacks; null when complete. */
export function missingScope(input: GrantInput): { field: 'regionCode' | 'orgId'; message: string } | null {
  const kind = scopeKindOf(input.role)
  if (kind === 'region' && !input.regionCode) return { field: 'regionCode', message: 'users.grant.regionRequired' }
  if (kind === 'org' && !input.orgId) return { field: 'orgId', message: 'users.grant.orgRequired' }
  return null
}

export function sameGrant(a: NormalisedGrant, b: NormalisedGrant): boolean {
  return a.role === b.role && a.regionCode === b.regionCode && a.orgId === b.orgId
}

/** Privileged roles must use longer passwords (security checklist 8). */
export function isPrivileged(roles: readonly Role[]): boolean {
  return roles.some((role) => PRIVILEGED_ROLES.includes(role))
}

/**
 * True when removing this grant would leave the acting administrator without any admin grant:
 * nobody may take away their own last way back into account administration.
 */
export function removesOwnLastAdmin(
  actorUserId: string,
  targetUserId: string,
  targetGrants: readonly { id: string; role: Role }[],
  grantId: string,
): boolean {
  if (actorUserId !== targetUserId) return false
  const removed = targetGrants.find((g) => g.id === grantId)
  if (removed?.role !== 'admin') return false
  return !targetGrants.some((g) => g.id !== grantId && g.role === 'admin')
}
