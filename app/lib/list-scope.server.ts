/**
 * Turns a ListScope (from scopeFor) into one SQL condition for list queries: the union of region
 * subtrees, organisations and the user's own person record; `everything` means no restriction and
 * an empty scope matches nothing. Column names are references chosen by the calling module, never
 * user input.
 */
import { sql, type Expression, type SqlBool } from 'kysely'
import type { ListScope } from '#app/modules/auth/policy.ts'

export interface ScopeColumns {
  /** A column holding a region code (regions.code). */
  region?: string
  /** A column holding an organisation id. */
  org?: string
  /** A column holding a person id. */
  person?: string
}

/** Region paths are codes and slashes only; anything else would be a bug upstream, so it matches nothing. */
const REGION_PATH = /^\/(\d+\/)+$/

/** `code in (select code from regions where path like '<path>%')`: the region and everything below it. */
export function inRegionSubtree(column: string, regionPath: string): Expression<SqlBool> {
  if (!REGION_PATH.test(regionPath)) return sql<SqlBool>`1 = 0`
  return sql<SqlBool>`${sql.ref(column)} in (select r_scope.code from regions as r_scope where r_scope.path like ${`${regionPath}%`})`
}

export function scopeCondition(scope: ListScope, columns: ScopeColumns): Expression<SqlBool> {
  if (scope.everything) return sql<SqlBool>`1 = 1`
  const parts: Expression<SqlBool>[] = []
  if (columns.region) for (const path of scope.regionPaths) parts.push(inRegionSubtree(columns.region, path))
  if (columns.org && scope.orgIds.length) {
    parts.push(sql<SqlBool>`${sql.ref(columns.org)} in (${sql.join(scope.orgIds)})`)
  }
  if (columns.person && scope.personIds.length) {
    parts.push(sql<SqlBool>`${sql.ref(columns.person)} in (${sql.join(scope.personIds)})`)
  }
  if (!parts.length) return sql<SqlBool>`1 = 0`
  if (parts.length === 1) return parts[0]!
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`
}
