import type { Executor } from '#app/lib/db.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { isId } from '#app/lib/ids.ts'
import { type AuthUser, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import type { Permission } from '#app/modules/auth/policy.ts'
import { caseLocation } from './cases.server.ts'

/** The case, when it exists and lies in the user's scope for the permission; otherwise 404 (or 403). */
export async function requireCase(db: Executor, request: Request, user: AuthUser, permission: Permission, caseId: string | undefined) {
  const location = isId(caseId) ? await caseLocation(db, caseId) : undefined
  if (!location) notFound()
  await requireRecordAccess(request, user, permission, {
    type: 'case',
    id: location.id,
    regionPath: location.region_path,
    orgId: location.org_id,
  })
  return location
}
