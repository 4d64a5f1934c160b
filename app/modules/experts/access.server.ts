/**
 * Record-level checks for one expert, applying scope.ts the way authz.server.ts applies the policy
 * table: out of sight → 404, in sight but not allowed → 403, no such permission at all → 403;
 * every refusal is written to the audit log.
 */
import { audit } from '#app/lib/audit.server.ts'
import { type Executor, getDb } from '#app/lib/db.server.ts'
import { forbidden, notFound } from '#app/lib/http.server.ts'
import { isId } from '#app/lib/ids.ts'
import { type AuthUser, actorOf } from '#app/modules/auth/authz.server.ts'
import type { Permission } from '#app/modules/auth/policy.ts'
import type { ExpertStatus, ExpertTier } from '#db/schema.ts'
import { type ExpertAccess, type ExpertLocation, expertAccess, holdsExpertPermission } from './scope.ts'

export interface ExpertHandle extends ExpertLocation {
  tier: ExpertTier
  status: ExpertStatus
  version: number
  access: ExpertAccess
}

export async function findExpertLocation(
  db: Executor,
  personId: string,
): Promise<(ExpertLocation & { tier: ExpertTier; status: ExpertStatus; version: number }) | null> {
  if (!isId(personId)) return null
  const row = await db
    .selectFrom('experts as e')
    .leftJoin('regions as r', 'r.code', 'e.region_code')
    .select(['e.person_id', 'e.region_code', 'r.path', 'e.tier', 'e.status', 'e.version'])
    .where('e.person_id', '=', personId)
    .executeTakeFirst()
  if (!row) return null
  return {
    personId: row.person_id,
    regionCode: row.region_code,
    regionPath: row.path ?? null,
    tier: row.tier,
    status: row.status,
    version: row.version,
  }
}

export type ExpertNeed = 'view' | 'edit' | 'reveal' | 'recommend' | 'self'

const PERMISSION: Record<ExpertNeed, Permission> = {
  view: 'expert:view',
  edit: 'expert:edit',
  reveal: 'expert:reveal',
  recommend: 'expert:recommend',
  self: 'expert:self',
}

/** The expert, if the user may do `need` to them; otherwise throws 404 or 403 (logged). */
export async function requireExpert(request: Request, user: AuthUser, personId: string, need: ExpertNeed): Promise<ExpertHandle> {
  const location = await findExpertLocation(getDb(), personId)
  if (!location) {
    if (!holdsExpertPermission(user, PERMISSION[need]) && !holdsExpertPermission(user, 'expert:self')) forbidden()
    notFound()
  }
  const access = expertAccess(user, location)
  if (access[need]) return { ...location, access }
  const visible = access.view || access.self
  const outOfSight = holdsExpertPermission(user, PERMISSION[need]) && !visible
  await audit(getDb(), request, actorOf(user), {
    action: outOfSight ? 'authz.out_of_scope' : 'authz.forbidden',
    recordType: 'expert',
    recordId: personId,
    result: 'denied',
    detail: { permission: PERMISSION[need], need },
  })
  if (outOfSight) notFound()
  forbidden()
}
