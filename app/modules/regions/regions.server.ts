/**
 * Region look-ups for scope checks and for the region selects of lists and forms. A select offers
 * only regions the user's scope reaches: their region subtrees, and the regions of the
 * organisations their grants name.
 */
import { sql } from 'kysely'
import type { Executor } from '#app/lib/db.server.ts'
import { inRegionSubtree } from '#app/lib/list-scope.server.ts'
import type { ListScope } from '#app/modules/auth/policy.ts'
import type { RegionLevel } from '#db/schema.ts'

export interface RegionOption {
  code: string
  name: string
  level: RegionLevel
  /** Depth below the top of the list, for indenting the option. */
  depth: number
}

export async function regionPathOf(db: Executor, code: string): Promise<string | null> {
  const row = await db.selectFrom('regions').select('path').where('code', '=', code).executeTakeFirst()
  return row?.path ?? null
}

/** The regions a scope reaches, in tree order (parents before children). */
export async function regionsInScope(db: Executor, scope: ListScope): Promise<RegionOption[]> {
  let query = db.selectFrom('regions as r').select(['r.code', 'r.name', 'r.level', 'r.path'])
  if (!scope.everything) {
    const orgIds = scope.orgIds
    query = query.where((eb) => {
      const parts = scope.regionPaths.map((p) => inRegionSubtree('r.code', p))
      if (orgIds.length) {
        parts.push(
          eb('r.code', 'in', eb.selectFrom('organisations as o_scope').select('o_scope.region_code').where('o_scope.id', 'in', orgIds)),
        )
      }
      return parts.length ? eb.or(parts) : sql<boolean>`1 = 0`
    })
  }
  const rows = await query.orderBy('r.path').execute()
  const top = Math.min(...rows.map((r) => depthOf(r.path)))
  return rows.map((r) => ({ code: r.code, name: r.name, level: r.level, depth: depthOf(r.path) - top }))
}

function depthOf(path: string): number {
  return path.split('/').filter(Boolean).length
}
