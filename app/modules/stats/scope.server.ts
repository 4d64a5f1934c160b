/**
 * Which records a statistics page counts: the user's list scope for the area's permission,
 * narrowed to the region filter. The filter can only narrow: a region outside the scope yields
 * an empty scope, never more. The result is an ordinary ListScope, so every query (and existing
 * module functions such as the training compliance summary) applies it with `scopeCondition`.
 */
import type { Executor } from '#app/lib/db.server.ts'
import { inRegionSubtree } from '#app/lib/list-scope.server.ts'
import { type AuthUser, scopeFor } from '#app/modules/auth/authz.server.ts'
import type { ListScope } from '#app/modules/auth/policy.ts'
import type { StatsArea } from './model.ts'
import { AREA_PERMISSION, STATS_AREAS } from './model.ts'

export interface StatsScope {
  scope: ListScope
  /** The region path the figures are rolled up under (the filter's, or the scope's single subtree, else the root). */
  rootPath: string
}

/** The areas a user may see: their permission must reach beyond their own record (statistics of one person are no statistics). */
export function visibleAreas(user: AuthUser): StatsArea[] {
  return STATS_AREAS.filter((area) => {
    const scope = scopeFor(user, AREA_PERMISSION[area])
    return scope.everything || scope.regionPaths.length > 0 || scope.orgIds.length > 0
  })
}

export async function resolveStatsScope(db: Executor, user: AuthUser, area: StatsArea, regionCode: string | null): Promise<StatsScope> {
  // Own-record reach (a mediator's 'self') never counts here: see visibleAreas.
  const scope = { ...scopeFor(user, AREA_PERMISSION[area]), personIds: [] }
  if (!regionCode) {
    const only = !scope.everything && scope.regionPaths.length === 1 && !scope.orgIds.length ? scope.regionPaths[0]! : '/'
    return { scope, rootPath: only }
  }
  const region = await db.selectFrom('regions').select('path').where('code', '=', regionCode).executeTakeFirst()
  const empty: ListScope = { everything: false, regionPaths: [], orgIds: [], personIds: [] }
  if (!region) return { scope: empty, rootPath: '/' }
  const filterPath = region.path
  if (scope.everything) return { scope: { ...empty, regionPaths: [filterPath] }, rootPath: filterPath }
  const regionPaths = new Set<string>()
  for (const path of scope.regionPaths) {
    // The filter inside a granted subtree narrows to the filter; a granted subtree inside the filter stays.
    if (filterPath.startsWith(path)) regionPaths.add(filterPath)
    else if (path.startsWith(filterPath)) regionPaths.add(path)
  }
  // Organisation grants keep only organisations located in the filter's subtree.
  const orgIds = scope.orgIds.length
    ? (
        await db
          .selectFrom('organisations')
          .select('id')
          .where('id', 'in', scope.orgIds)
          .where(inRegionSubtree('region_code', filterPath))
          .execute()
      ).map((o) => o.id)
    : []
  return { scope: { everything: false, regionPaths: [...regionPaths], orgIds, personIds: [] }, rootPath: filterPath }
}
