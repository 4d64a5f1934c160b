/** The account list's filters, read from its URL; anything unknown is ignored. */
import { ROLES } from '#app/modules/auth/policy.ts'
import type { Role } from '#db/schema.ts'
import { USER_STATUSES } from './schemas.ts'

export interface UserFilterValues {
  role: Role | null
  status: (typeof USER_STATUSES)[number] | null
}

export function parseUserFilters(url: URL): UserFilterValues {
  const role = url.searchParams.get('role')
  const status = url.searchParams.get('status')
  return {
    role: ROLES.includes(role as Role) ? (role as Role) : null,
    status: USER_STATUSES.includes(status as never) ? (status as UserFilterValues['status']) : null,
  }
}
