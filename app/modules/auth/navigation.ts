/**
 * The sidebar, per role: an item shows when the user holds its permission. Each capability adds
 * its entries here. The server still checks every page; hiding a link is only a convenience.
 */
import type { MessageKey } from '#app/lib/i18n.ts'
import { hasPermission, listScope, type Permission, type Principal } from './policy.ts'

export interface NavItem {
  to: string
  label: MessageKey
}

interface NavRule extends NavItem {
  /** Shown to anyone signed in when absent. */
  permission?: Permission
  /** Lists make sense only for those who see more than their own record. */
  beyondSelf?: boolean
  /** Links to the user's own record: shown when the permission reaches it. */
  ownRecord?: boolean
}

const RULES: NavRule[] = [
  { to: '/', label: 'nav.home' },
  { to: '/people', label: 'nav.people', permission: 'person:view', beyondSelf: true },
  { to: '/people/me', label: 'people.myProfile', permission: 'person:view', ownRecord: true },
  { to: '/orgs', label: 'nav.orgs', permission: 'org:view' },
  { to: '/experts', label: 'experts.nav.roster', permission: 'expert:view', beyondSelf: true },
  { to: '/me/expert', label: 'experts.nav.mine', permission: 'expert:self', ownRecord: true },
  { to: '/admin/users', label: 'nav.users', permission: 'user:manage' },
  { to: '/admin/sign-in-locks', label: 'nav.signInLocks', permission: 'session:manage' },
  { to: '/audit', label: 'nav.audit', permission: 'audit:view' },
  { to: '/account', label: 'nav.account' },
]

export function navigationFor(principal: Principal): NavItem[] {
  return RULES.filter((rule) => {
    if (!rule.permission) return true
    if (!hasPermission(principal, rule.permission)) return false
    const scope = listScope(principal, rule.permission)
    if (rule.ownRecord) return scope.personIds.length > 0
    if (!rule.beyondSelf) return true
    return scope.everything || scope.regionPaths.length > 0 || scope.orgIds.length > 0
  }).map(({ to, label }) => ({ to, label }))
}
