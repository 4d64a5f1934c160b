/**
 * What the expert forms offer a user: the regions and tiers their body appoints, the bodies'
 * organisations, registered employers nearby, and the dispute types. The same lists build the
 * server's validation refs, so a forged value is refused as "not a choice".
 */
import type { Executor } from '#app/lib/db.server.ts'
import { inRegionSubtree } from '#app/lib/list-scope.server.ts'
import type { AuthUser } from '#app/modules/auth/authz.server.ts'
import type { ExpertTier } from '#db/schema.ts'
import { TIERS, tiersForRegion } from './model.ts'
import { appointingOrgOptions, appointingRegions, disputeTypeOptions, regionChoices } from './queries.server.ts'
import type { ExpertRefs } from './schemas.ts'
import { expertBodyScope } from './scope.ts'
import type { ExpertFormOptions } from './ui/expert-form.tsx'

async function employerOrgOptions(db: Executor, regionPaths: readonly string[] | null): Promise<{ id: string; name: string }[]> {
  if (regionPaths && !regionPaths.length) return []
  let query = db.selectFrom('organisations as o').select(['o.id', 'o.name']).where('o.status', '=', 'active')
  if (regionPaths) query = query.where((eb) => eb.or(regionPaths.map((p) => inRegionSubtree('o.region_code', p))))
  return query.orderBy('o.name').limit(300).execute()
}

/** Options and refs for admitting an expert: only the bodies the user belongs to. */
export async function admissionOptions(db: Executor, user: AuthUser): Promise<{ options: ExpertFormOptions; refs: ExpertRefs }> {
  const body = expertBodyScope(user, 'expert:edit')
  const regions = appointingRegions(await regionChoices(db, body.everything ? null : body.regionCodes))
  const tiers: ExpertTier[] = body.everything ? [...TIERS] : TIERS.filter((tier) => regions.some((r) => tiersForRegion(r).includes(tier)))
  const paths = body.everything ? null : regions.map((r) => r.path)
  const [disputeTypes, appointingOrgs, employerOrgs] = await Promise.all([
    disputeTypeOptions(db),
    appointingOrgOptions(db, body.everything ? null : regions.map((r) => r.code)),
    employerOrgOptions(db, paths),
  ])
  return {
    options: {
      disputeTypes,
      regions: regions.map(({ code, name, level }) => ({ code, name, level })),
      tiers,
      appointingOrgs,
      employerOrgs,
    },
    refs: { disputeTypes: disputeTypes.map((d) => d.code), regions: new Map(regions.map((r) => [r.code, r])) },
  }
}

/** Options and refs for editing one expert appointed in `regionCode` (null: national). */
export async function editOptions(db: Executor, regionCode: string | null): Promise<{ options: ExpertFormOptions; refs: ExpertRefs }> {
  const region = regionCode ? await db.selectFrom('regions').select('path').where('code', '=', regionCode).executeTakeFirst() : null
  const [disputeTypes, appointingOrgs, employerOrgs] = await Promise.all([
    disputeTypeOptions(db),
    regionCode ? appointingOrgOptions(db, [regionCode]) : Promise.resolve([]),
    employerOrgOptions(db, region ? [region.path] : null),
  ])
  return {
    options: { disputeTypes, regions: [], tiers: [], appointingOrgs, employerOrgs },
    refs: { disputeTypes: disputeTypes.map((d) => d.code), regions: new Map() },
  }
}
