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
  /** Shown when any of these permissions reaches beyond the user's own record (pages spanning areas). */
  anyBeyondSelf?: Permission[]
}

const RULES: NavRule[] = [
  { to: '/', label: 'nav.home' },
  { to: '/people', label: 'nav.people', permission: 'person:view', beyondSelf: true },
  { to: '/people/me', label: 'people.myProfile', permission: 'person:view', ownRecord: true },
  { to: '/orgs', label: 'nav.orgs', permission: 'org:view' },
  { to: '/experts', label: 'experts.nav.roster', permission: 'expert:view', beyondSelf: true },
  { to: '/me/expert', label: 'experts.nav.mine', permission: 'expert:self', ownRecord: true },
  { to: '/training', label: 'training.nav.catalogue', permission: 'training:view' },
  { to: '/training/archive/me', label: 'training.nav.myArchive', permission: 'training:learn', ownRecord: true },
  { to: '/training/sessions', label: 'training.nav.sessions', permission: 'training:manage' },
  { to: '/training/plans', label: 'training.nav.plans', permission: 'training:manage' },
  { to: '/training/compliance', label: 'training.nav.compliance', permission: 'training:manage' },
  { to: '/training/external', label: 'training.nav.external', permission: 'training:manage' },
  { to: '/drills', label: 'drills.nav', permission: 'drill:take' },
  { to: '/drills/grading', label: 'drills.nav.grading', permission: 'drill:grade' },
  { to: '/drills/events', label: 'drills.nav.events', permission: 'drill:manage' },
  { to: '/admin/users', label: 'nav.users', permission: 'user:manage' },
  { to: '/admin/sign-in-locks', label: 'nav.signInLocks', permission: 'session:manage' },
  { to: '/admin/settings', label: 'settings.nav', permission: 'settings:manage' },
  { to: '/admin/retention', label: 'retention.nav', permission: 'settings:manage' },
  { to: '/admin/api-clients', label: 'api.nav', permission: 'api:manage' },
  { to: '/admin/roster-sync', label: 'rosterSync.nav', permission: 'roster:sync' },
  { to: '/grading', label: 'nav.grading', permission: 'grading:view' },
  { to: '/grading/grades', label: 'gradingNotice.nav.grades', permission: 'grading:manage' },
  { to: '/grading/reviews', label: 'gradingReview.nav', permission: 'grading:review' },
  { to: '/grading/history/me', label: 'gradingNotice.nav.myHistory', permission: 'grading:view', ownRecord: true },
  { to: '/audit', label: 'nav.audit', permission: 'audit:view' },
  { to: '/library', label: 'nav.library', permission: 'library:read' },
  { to: '/cases', label: 'cases.nav.list', permission: 'case:view', beyondSelf: true },
  { to: '/cases/batch', label: 'cases.nav.batch', permission: 'case:assign', beyondSelf: true },
  { to: '/admin/webhooks', label: 'webhooks.nav', permission: 'webhook:view', beyondSelf: true },
  { to: '/me/consultations', label: 'cases.nav.consultations', permission: 'consultation:respond', ownRecord: true },
  {
    to: '/stats',
    label: 'stats.nav',
    anyBeyondSelf: ['expert:view', 'case:view', 'training:manage', 'drill:manage', 'library:review', 'grading:view'],
  },
  // Background exports (app/modules/jobs): for those who may export a register.
  { to: '/exports', label: 'jobs.nav', anyBeyondSelf: ['person:view', 'expert:view'] },
  { to: '/account', label: 'nav.account' },
]

export function navigationFor(principal: Principal): NavItem[] {
  return RULES.filter((rule) => {
    if (rule.anyBeyondSelf) {
      return rule.anyBeyondSelf.some((p) => {
        const scope = listScope(principal, p)
        return scope.everything || scope.regionPaths.length > 0 || scope.orgIds.length > 0
      })
    }
    if (!rule.permission) return true
    if (!hasPermission(principal, rule.permission)) return false
    const scope = listScope(principal, rule.permission)
    if (rule.ownRecord) return scope.personIds.length > 0
    if (!rule.beyondSelf) return true
    return scope.everything || scope.regionPaths.length > 0 || scope.orgIds.length > 0
  }).map(({ to, label }) => ({ to, label }))
}
