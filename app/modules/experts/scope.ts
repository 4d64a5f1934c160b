/**
 * Who may see and change which experts (docs/decisions/009-expert-pool-scope.md). Pure: the
 * permission table in auth/policy.ts says which roles hold an `expert:*` permission and with what
 * reach; this module says what that reach means in a tiered pool:
 *
 * - view, `region`/`org` reach: the experts appointed in the grant's region subtree, plus the
 *   higher-tier experts of the regions above it and the national pool (lower levels may call on
 *   higher-tier experts, read-only).
 * - edit and recommend, `region` reach: only the experts the grant's own body appointed (the
 *   expert's appointing region is the grant's region). A city bureau does not edit district experts,
 *   a district bureau does not edit municipal ones.
 * - decide a recommendation: the body the recommendation is addressed to.
 * - reveal, `region` reach: experts appointed in the subtree (like person:reveal); higher-tier
 *   experts seen from below stay masked.
 * - `self`: the expert's own profile.
 * - `everything` (admin): all of it, including the national tier.
 */
import { type Permission, type Principal, hasPermission, reachOf } from '#app/modules/auth/policy.ts'
import { codesOnPath } from './model.ts'

/** Where an expert sits, as far as scope is concerned. */
export interface ExpertLocation {
  personId: string
  /** Appointing region; null for the national tier. */
  regionCode: string | null
  /** Materialised path of the appointing region; null for the national tier. */
  regionPath: string | null
}

function inSubtree(path: string | null, root: string | null): boolean {
  return !!path && !!root && path.startsWith(root)
}

export function mayViewExpert(principal: Principal, expert: ExpertLocation): boolean {
  return principal.grants.some((grant) => {
    switch (reachOf(grant.role, 'expert:view')) {
      case 'everything':
        return true
      case 'region':
      case 'org':
        if (!grant.regionPath) return false
        if (expert.regionPath === null) return true
        return inSubtree(expert.regionPath, grant.regionPath) || inSubtree(grant.regionPath, expert.regionPath)
      case 'self':
        return !!principal.personId && principal.personId === expert.personId
      default:
        return false
    }
  })
}

/** The appointing body's own experts (edit, recommend upward). */
function reachesBody(principal: Principal, permission: Permission, regionCode: string | null): boolean {
  return principal.grants.some((grant) => {
    const reach = reachOf(grant.role, permission)
    if (reach === 'everything') return true
    return reach === 'region' && !!grant.regionCode && regionCode !== null && grant.regionCode === regionCode
  })
}

export function mayEditExpert(principal: Principal, expert: ExpertLocation): boolean {
  return reachesBody(principal, 'expert:edit', expert.regionCode)
}

export function mayRecommendExpert(principal: Principal, expert: ExpertLocation): boolean {
  return reachesBody(principal, 'expert:recommend', expert.regionCode)
}

/** The body a recommendation is addressed to decides it; only `everything` decides for the national pool. */
export function mayDecideRecommendation(principal: Principal, toRegionCode: string | null): boolean {
  return reachesBody(principal, 'expert:recommend', toRegionCode)
}

export function mayRevealExpert(principal: Principal, expert: ExpertLocation): boolean {
  return principal.grants.some((grant) => {
    const reach = reachOf(grant.role, 'expert:reveal')
    if (reach === 'everything') return true
    return reach === 'region' && inSubtree(expert.regionPath, grant.regionPath)
  })
}

/** The expert themself (role expert, linked through users.person_id). */
export function isOwnExpert(principal: Principal, expert: Pick<ExpertLocation, 'personId'>): boolean {
  return (
    !!principal.personId &&
    principal.personId === expert.personId &&
    principal.grants.some((grant) => reachOf(grant.role, 'expert:self') === 'self')
  )
}

export interface ExpertAccess {
  view: boolean
  edit: boolean
  reveal: boolean
  recommend: boolean
  self: boolean
}

export function expertAccess(principal: Principal, expert: ExpertLocation): ExpertAccess {
  return {
    view: mayViewExpert(principal, expert),
    edit: mayEditExpert(principal, expert),
    reveal: mayRevealExpert(principal, expert),
    recommend: mayRecommendExpert(principal, expert),
    self: isOwnExpert(principal, expert),
  }
}

/** True when some grant gives the permission at all (403 versus 404). */
export function holdsExpertPermission(principal: Principal, permission: Permission): boolean {
  return hasPermission(principal, permission)
}

// ---------------------------------------------------------------------------------------------
// List scopes, for queries

/** The experts a principal may list: see expertScopeCondition in roster.server.ts. */
export interface ExpertViewScope {
  everything: boolean
  /** Region subtrees (materialised paths) whose experts are visible. */
  subtreePaths: string[]
  /** Regions above the principal's own whose (higher-tier) experts are visible. */
  ancestorCodes: string[]
  /** The national pool (region null). */
  national: boolean
  personIds: string[]
}

export function expertViewScope(principal: Principal): ExpertViewScope {
  const scope: ExpertViewScope = { everything: false, subtreePaths: [], ancestorCodes: [], national: false, personIds: [] }
  for (const grant of principal.grants) {
    const reach = reachOf(grant.role, 'expert:view')
    if (reach === 'everything') scope.everything = true
    if ((reach === 'region' || reach === 'org') && grant.regionPath) {
      scope.subtreePaths.push(grant.regionPath)
      scope.ancestorCodes.push(...codesOnPath(grant.regionPath).slice(0, -1))
      scope.national = true
    }
    if (reach === 'self' && principal.personId) scope.personIds.push(principal.personId)
  }
  scope.subtreePaths = [...new Set(scope.subtreePaths)]
  scope.ancestorCodes = [...new Set(scope.ancestorCodes)]
  return scope
}

/** Appointing bodies whose experts the principal edits (or whose recommendations they decide). */
export interface ExpertBodyScope {
  everything: boolean
  regionCodes: string[]
}

export function expertBodyScope(principal: Principal, permission: 'expert:edit' | 'expert:recommend'): ExpertBodyScope {
  const scope: ExpertBodyScope = { everything: false, regionCodes: [] }
  for (const grant of principal.grants) {
    const reach = reachOf(grant.role, permission)
    if (reach === 'everything') scope.everything = true
    if (reach === 'region' && grant.regionCode) scope.regionCodes.push(grant.regionCode)
  }
  scope.regionCodes = [...new Set(scope.regionCodes)]
  return scope
}

export function isEmptyBodyScope(scope: ExpertBodyScope): boolean {
  return !scope.everything && scope.regionCodes.length === 0
}

export function isEmptyViewScope(scope: ExpertViewScope): boolean {
  return !scope.everything && !scope.subtreePaths.length && !scope.personIds.length
}
