/**
 * Who may read one record's history (/audit/record/$type/$id), docs/decisions/017-audit-retention.md:
 * - auditors and security administrators (audit:view): any record, every entry, with addresses;
 * - otherwise the record's own manager, i.e. whoever may change it (person:edit, org:edit, the
 *   expert's appointing body through expert:edit, case:manage), in scope: the entries that
 *   succeeded, without addresses and scopes (refusals and where people signed in from stay with
 *   the auditors).
 * Other record types are for audit:view only. Out of scope → 404, no such permission → 403, both
 * logged, as everywhere else.
 */
import { getDb } from '#app/lib/db.server.ts'
import { forbidden, notFound } from '#app/lib/http.server.ts'
import { isId } from '#app/lib/ids.ts'
import { type AuthUser, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import { hasPermission } from '#app/modules/auth/policy.ts'
import { requireCase } from '#app/modules/cases/access.server.ts'
import { requireExpert } from '#app/modules/experts/access.server.ts'
import { getOrg } from '#app/modules/orgs/orgs.server.ts'
import { getPerson } from '#app/modules/people/people.server.ts'

/** Record types whose pages link to their history and whose managers may read it. */
export const MANAGED_HISTORY_TYPES = ['person', 'organisation', 'expert', 'case'] as const
export type ManagedHistoryType = (typeof MANAGED_HISTORY_TYPES)[number]

const RECORD_TYPE = /^[a-z][a-z0-9_]{0,31}$/

export interface HistoryAccess {
  /** True for audit:view: every entry with addresses; false for a record's manager. */
  full: boolean
}

function isManaged(type: string): type is ManagedHistoryType {
  return (MANAGED_HISTORY_TYPES as readonly string[]).includes(type)
}

export async function requireHistoryAccess(
  request: Request,
  user: AuthUser,
  type: string | undefined,
  id: string | undefined,
): Promise<HistoryAccess> {
  if (!type || !RECORD_TYPE.test(type) || !id || id.length > 64) notFound()
  if (hasPermission(user, 'audit:view')) return { full: true }
  if (!isManaged(type) || !isId(id)) forbidden()
  const db = getDb()
  switch (type) {
    case 'person': {
      const found = await getPerson(db, id)
      if (!found) notFound()
      await requireRecordAccess(request, user, 'person:edit', { type, id, ...found.scope })
      break
    }
    case 'organisation': {
      const org = await getOrg(db, id)
      if (!org) notFound()
      await requireRecordAccess(request, user, 'org:edit', { type, id, regionPath: org.regionPath, orgId: org.id })
      break
    }
    case 'expert':
      await requireExpert(request, user, id, 'edit')
      break
    case 'case':
      await requireCase(db, request, user, 'case:manage', id)
      break
  }
  return { full: false }
}
