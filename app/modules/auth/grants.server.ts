import { getDb } from '#app/lib/db.server.ts'
import type { Role } from '#db/schema.ts'
import type { ResolvedGrant } from './policy.ts'

export interface GrantDescription {
  role: Role
  /** The region or organisation the grant covers, by name. */
  scopeName: string | null
}

/** Names the scope of each grant, for display (one query for all of them). */
export async function describeGrants(grants: ResolvedGrant[]): Promise<GrantDescription[]> {
  const orgIds = grants.map((g) => g.orgId).filter((id): id is string => !!id)
  const regionCodes = grants
    .filter((g) => !g.orgId)
    .map((g) => g.regionCode)
    .filter((c): c is string => !!c)
  const db = getDb()
  const [orgs, regions] = await Promise.all([
    orgIds.length ? db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', orgIds).execute() : [],
    regionCodes.length ? db.selectFrom('regions').select(['code', 'name']).where('code', 'in', regionCodes).execute() : [],
  ])
  const orgName = new Map(orgs.map((o) => [o.id, o.name]))
  const regionName = new Map(regions.map((r) => [r.code, r.name]))
  return grants.map((g) => ({
    role: g.role,
    scopeName: g.orgId ? (orgName.get(g.orgId) ?? null) : g.regionCode ? (regionName.get(g.regionCode) ?? null) : null,
  }))
}
