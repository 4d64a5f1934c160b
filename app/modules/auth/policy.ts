/**
 * Who may do what, as pure data and functions (no I/O), so every rule is unit-tested.
 * authz.server.ts applies these to requests; nothing else decides permissions.
 */
import type { Role } from '#db/schema.ts'

export const ROLES: Role[] = [
  'admin',
  'security_admin',
  'auditor',
  'bureau_staff',
  'association_admin',
  'org_manager',
  'mediator',
  'expert',
  'reviewer',
]

/** Roles whose grants carry a region (bureau_staff, reviewer) or an organisation (association_admin, org_manager). */
export const REGION_SCOPED: Role[] = ['bureau_staff', 'reviewer']
export const ORG_SCOPED: Role[] = ['association_admin', 'org_manager']

/** Roles that must use longer passwords (security checklist 8). */
export const PRIVILEGED_ROLES: Role[] = ['admin', 'security_admin', 'auditor', 'bureau_staff', 'association_admin']

export type Permission =
  | 'user:manage' // create accounts, grant roles, issue set-up links
  | 'session:manage' // end anyone's sessions, lift sign-in locks
  | 'audit:view'
  | 'org:view'
  | 'org:edit'
  | 'person:view'
  | 'person:edit'
  | 'person:reveal' // see a full ID or phone number (audited)
  // Expert pool (专家库). The experts module interprets these reaches for the tiered pool
  // (app/modules/experts/scope.ts, docs/decisions/009-expert-pool-scope.md): `region` views the
  // subtree plus the higher-tier experts above it, and edits only the appointing body's own experts.
  | 'expert:view'
  | 'expert:edit'
  | 'expert:reveal' // see an expert's full ID or phone number (audited)
  | 'expert:recommend' // recommend upward (择优推荐) and decide recommendations made to one's body
  | 'expert:self' // an expert's own availability, contact preference and conflicts
  // Case library (精品案例库), app/modules/library
  | 'library:read' // browse, search and read cases; bookmarks and private notes
  | 'library:submit' // write and submit one's own cases
  | 'library:review' // review submissions from mediators in scope (by the author's organisation's region)
  // Drills (岗位练兵). Reviewers (评审专家) hold region-scoped grants: they grade drafting submissions
  // whose author's region lies in their subtree (003 addendum), and the grading pages never show who
  // wrote a submission (app/modules/drills).
  | 'drill:take' // take drills and see one's own results
  | 'drill:grade' // grade drafting submissions, anonymised
  | 'drill:manage' // schedule drill events (练兵比武) and see their results
  // Training (培训): the catalogue and archives (`view`), taking courses (`learn`, the mediator
  // themself), recording offline training and revoking certificates (`manage`).
  | 'training:view'
  | 'training:learn'
  | 'training:manage'
  // Difficult cases and expert matching (app/modules/cases): bureau staff in their region subtree,
  // organisation managers for their organisation's cases; experts answer their own invitations.
  | 'case:view'
  | 'case:manage' // register cases, move them through their lifecycle, record outcomes and ratings
  | 'case:assign' // recommendations, invitations and batch assignment
  | 'consultation:respond' // an expert's own invitations: accept, decline, write the opinion
  | 'settings:manage' // the configurable defaults of every area (/admin/settings), audited
  // Grade evaluation (等级评定), app/modules/grading. Rounds and rules belong to an association
  // (organisations.kind = 'association'): its admins manage them (record orgId = the association).
  // Reviewers score only applications assigned to them, blind; scope comes from the assignment.
  | 'grading:manage' // rules, rounds, panels, pre-review, objections, finalisation, demotion/revocation
  | 'grading:view' // grade histories and round results in scope
  | 'grading:apply' // apply for a grade (the mediator, or their org manager for them); confirm case statistics
  | 'grading:case-stats' // enter or import mediators' case statistics
  | 'grading:review' // score assigned applications (blind) and calibrate
  // Partner API (app/modules/api): register clients, show their secrets once, rotate, disable.
  | 'api:manage'
  // Public directory (公开名录), app/modules/directory: an organisation's public information
  // (services, opening hours, dispute types taken) and a graded mediator's own optional fields.
  | 'directory:edit'
  | 'directory:self'
  // Status notifications (webhooks) to referring partner systems, app/modules/webhooks: the
  // delivery log of cases in scope, and replaying a delivery (audited).
  | 'webhook:view'
  | 'webhook:replay'
  // Roster sync (app/modules/roster-sync): import the provincial system's organisations and mediators
  // into the region subtree the grant covers (docs/decisions/022-roster-sync.md).
  | 'roster:sync'

/** How a role's grant reaches a record. */
export type Reach = 'everything' | 'region' | 'org' | 'self'

const RULES: Record<Permission, Partial<Record<Role, Reach>>> = {
  'user:manage': { admin: 'everything' },
  'session:manage': { admin: 'everything', security_admin: 'everything' },
  'audit:view': { security_admin: 'everything', auditor: 'everything' },
  'org:view': { admin: 'everything', bureau_staff: 'region', association_admin: 'region', org_manager: 'org' },
  'org:edit': { admin: 'everything', bureau_staff: 'region' },
  'person:view': {
    admin: 'everything',
    bureau_staff: 'region',
    association_admin: 'region',
    org_manager: 'org',
    mediator: 'self',
    expert: 'self',
  },
  'person:edit': { admin: 'everything', bureau_staff: 'region', org_manager: 'org' },
  'person:reveal': { admin: 'everything', bureau_staff: 'region' },
  'expert:view': { admin: 'everything', bureau_staff: 'region', association_admin: 'region', org_manager: 'org', expert: 'self' },
  'expert:edit': { admin: 'everything', bureau_staff: 'region' },
  'expert:reveal': { admin: 'everything', bureau_staff: 'region' },
  'expert:recommend': { admin: 'everything', bureau_staff: 'region' },
  'expert:self': { expert: 'self' },
  'drill:take': { mediator: 'self' },
  'drill:grade': { admin: 'everything', reviewer: 'region' },
  'drill:manage': { admin: 'everything', bureau_staff: 'region' },
  'training:view': { admin: 'everything', bureau_staff: 'region', association_admin: 'region', org_manager: 'org', mediator: 'self' },
  'training:learn': { mediator: 'self' },
  'training:manage': { admin: 'everything', bureau_staff: 'region', association_admin: 'region', org_manager: 'org' },
  'library:read': {
    admin: 'everything',
    security_admin: 'everything',
    auditor: 'everything',
    bureau_staff: 'everything',
    association_admin: 'everything',
    org_manager: 'everything',
    mediator: 'everything',
    expert: 'everything',
    reviewer: 'everything',
  },
  'library:submit': { mediator: 'self' },
  'case:view': { admin: 'everything', bureau_staff: 'region', org_manager: 'org' },
  'case:manage': { admin: 'everything', bureau_staff: 'region', org_manager: 'org' },
  'case:assign': { admin: 'everything', bureau_staff: 'region', org_manager: 'org' },
  'consultation:respond': { expert: 'self' },
  'settings:manage': { admin: 'everything' },
  'api:manage': { admin: 'everything' },
  'grading:manage': { admin: 'everything', association_admin: 'org' },
  'grading:view': { admin: 'everything', bureau_staff: 'region', association_admin: 'region', org_manager: 'org', mediator: 'self' },
  'grading:apply': { mediator: 'self', org_manager: 'org' },
  'grading:case-stats': { admin: 'everything', org_manager: 'org' },
  'grading:review': { reviewer: 'region' },
  'library:review': { admin: 'everything', bureau_staff: 'region', association_admin: 'region', reviewer: 'region' },
  'directory:edit': { admin: 'everything', bureau_staff: 'region', org_manager: 'org' },
  'directory:self': { mediator: 'self' },
  'webhook:view': { admin: 'everything', bureau_staff: 'region' },
  'webhook:replay': { admin: 'everything', bureau_staff: 'region' },
  'roster:sync': { admin: 'everything', bureau_staff: 'region' },
}

/** How a role's grant reaches records under a permission, for modules that refine the reach (experts). */
export function reachOf(role: Role, permission: Permission): Reach | undefined {
  return RULES[permission][role]
}

/** A grant with its scope resolved: the region path it covers and the organisation it names. */
export interface ResolvedGrant {
  role: Role
  /** Region subtree the grant covers, as a materialised path (`/110000/110105/`); null for unscoped roles. */
  regionPath: string | null
  regionCode: string | null
  orgId: string | null
}

export interface Principal {
  userId: string
  personId: string | null
  grants: ResolvedGrant[]
}

/** Where a record sits, as far as scope is concerned. Fill what the record has. */
export interface RecordScope {
  regionPath?: string | null
  orgId?: string | null
  personId?: string | null
}

function reaches(grant: ResolvedGrant, reach: Reach, principal: Principal, record: RecordScope): boolean {
  switch (reach) {
    case 'everything':
      return true
    case 'region':
      return !!grant.regionPath && !!record.regionPath && record.regionPath.startsWith(grant.regionPath)
    case 'org':
      return !!grant.orgId && record.orgId === grant.orgId
    case 'self':
      return !!principal.personId && record.personId === principal.personId
  }
}

/** True when some grant gives the permission at all, whatever the record. */
export function hasPermission(principal: Principal, permission: Permission): boolean {
  return principal.grants.some((g) => RULES[permission][g.role] !== undefined)
}

export function allows(principal: Principal, permission: Permission, record: RecordScope = {}): boolean {
  return principal.grants.some((grant) => {
    const reach = RULES[permission][grant.role]
    return reach !== undefined && reaches(grant, reach, principal, record)
  })
}

/**
 * The records a principal may list under a permission, for queries: everything, or the union of
 * region subtrees, organisations and the principal's own person record.
 */
export interface ListScope {
  everything: boolean
  regionPaths: string[]
  orgIds: string[]
  personIds: string[]
}

export function listScope(principal: Principal, permission: Permission): ListScope {
  const scope: ListScope = { everything: false, regionPaths: [], orgIds: [], personIds: [] }
  for (const grant of principal.grants) {
    const reach = RULES[permission][grant.role]
    if (reach === 'everything') scope.everything = true
    if (reach === 'region' && grant.regionPath) scope.regionPaths.push(grant.regionPath)
    if (reach === 'org' && grant.orgId) scope.orgIds.push(grant.orgId)
    if (reach === 'self' && principal.personId) scope.personIds.push(principal.personId)
  }
  return scope
}

export function isEmptyScope(scope: ListScope): boolean {
  return !scope.everything && !scope.regionPaths.length && !scope.orgIds.length && !scope.personIds.length
}
