import { describe, expect, it } from 'vitest'
import type { Role } from '#db/schema.ts'
import { type Principal, type ResolvedGrant, allows, hasPermission, isEmptyScope, listScope } from './policy.ts'

// Region paths as the regions table stores them: Beijing, and two of its districts.
const BEIJING = '/110000/'
const HAIDIAN = '/110000/110108/'
const CHAOYANG = '/110000/110105/'
const HAIDIAN_TOWNSHIP = '/110000/110108/110108001/'

function grant(role: Role, scope: { regionPath?: string; orgId?: string } = {}): ResolvedGrant {
  return {
    role,
    regionPath: scope.regionPath ?? null,
    regionCode: scope.regionPath?.split('/').at(-2) ?? null,
    orgId: scope.orgId ?? null,
  }
}

function principal(grants: ResolvedGrant[], personId: string | null = null): Principal {
  return { userId: 'U1', personId, grants }
}

const beijingStaff = principal([grant('bureau_staff', { regionPath: BEIJING })])
const haidianStaff = principal([grant('bureau_staff', { regionPath: HAIDIAN })])
const orgManager = principal([grant('org_manager', { orgId: 'ORG-A' })], 'P-MANAGER')
const mediator = principal([grant('mediator')], 'P-MEDIATOR')
const admin = principal([grant('admin')])
const auditor = principal([grant('auditor')])

describe('region scope', () => {
  it('reaches the granted region and everything below it', () => {
    expect(allows(haidianStaff, 'org:edit', { regionPath: HAIDIAN })).toBe(true)
    expect(allows(haidianStaff, 'org:edit', { regionPath: HAIDIAN_TOWNSHIP })).toBe(true)
    expect(allows(beijingStaff, 'org:edit', { regionPath: CHAOYANG })).toBe(true)
    expect(allows(beijingStaff, 'org:edit', { regionPath: HAIDIAN_TOWNSHIP })).toBe(true)
  })

  it('does not reach sibling or parent regions', () => {
    expect(allows(haidianStaff, 'org:edit', { regionPath: CHAOYANG })).toBe(false)
    expect(allows(haidianStaff, 'org:edit', { regionPath: BEIJING })).toBe(false)
  })

  it('matches whole path segments, not a textual prefix of a code', () => {
    expect(allows(haidianStaff, 'org:view', { regionPath: '/110000/1101080/' })).toBe(false)
  })

  it('denies a record that has no region', () => {
    expect(allows(beijingStaff, 'org:view', {})).toBe(false)
    expect(allows(beijingStaff, 'org:view', { regionPath: null })).toBe(false)
  })

  it('gives a region-scoped grant without a region nothing', () => {
    const unresolved = principal([grant('bureau_staff')])
    expect(allows(unresolved, 'org:view', { regionPath: BEIJING })).toBe(false)
    expect(listScope(unresolved, 'org:view').regionPaths).toEqual([])
  })
})

describe('organisation scope', () => {
  it('reaches records of the granted organisation only', () => {
    expect(allows(orgManager, 'person:edit', { orgId: 'ORG-A' })).toBe(true)
    expect(allows(orgManager, 'person:edit', { orgId: 'ORG-B' })).toBe(false)
  })

  it('does not treat two missing organisations as a match', () => {
    const noOrg = principal([grant('org_manager')])
    expect(allows(noOrg, 'person:view', {})).toBe(false)
    expect(allows(noOrg, 'person:view', { orgId: null })).toBe(false)
  })

  it('ignores the region of a record for an organisation grant', () => {
    expect(allows(orgManager, 'person:view', { regionPath: HAIDIAN, orgId: 'ORG-B' })).toBe(false)
  })
})

describe('self scope', () => {
  it('lets mediators see their own person record and no other', () => {
    expect(allows(mediator, 'person:view', { personId: 'P-MEDIATOR' })).toBe(true)
    expect(allows(mediator, 'person:view', { personId: 'P-OTHER' })).toBe(false)
  })

  it('reaches nothing for a user without a person record', () => {
    const noPerson = principal([grant('mediator')], null)
    expect(allows(noPerson, 'person:view', { personId: null })).toBe(false)
    expect(allows(noPerson, 'person:view', {})).toBe(false)
  })

  it('does not extend to editing', () => {
    expect(allows(mediator, 'person:edit', { personId: 'P-MEDIATOR' })).toBe(false)
  })
})

describe('unscoped roles and separation of duties', () => {
  it('lets the system admin manage users but not read the audit log', () => {
    expect(allows(admin, 'user:manage')).toBe(true)
    expect(allows(admin, 'audit:view')).toBe(false)
  })

  it('lets the auditor read the audit log and nothing else', () => {
    expect(allows(auditor, 'audit:view')).toBe(true)
    expect(allows(auditor, 'user:manage')).toBe(false)
    expect(allows(auditor, 'person:view', { regionPath: BEIJING })).toBe(false)
  })

  it('denies a user with no grants everything', () => {
    const nobody = principal([])
    expect(hasPermission(nobody, 'org:view')).toBe(false)
    expect(allows(nobody, 'org:view', { regionPath: BEIJING })).toBe(false)
  })
})

// authz.server.ts answers 404 when the permission is held but the record is out of scope (no hint
// that it exists) and 403 when the permission is not held at all. These are the two inputs.
describe('404 versus 403', () => {
  it('out of scope with the permission held elsewhere: hasPermission true, allows false (404)', () => {
    const chaoyangOrg = { regionPath: CHAOYANG }
    expect(hasPermission(haidianStaff, 'org:edit')).toBe(true)
    expect(allows(haidianStaff, 'org:edit', chaoyangOrg)).toBe(false)
  })

  it('permission not held at all: hasPermission false (403)', () => {
    expect(hasPermission(mediator, 'org:edit')).toBe(false)
    expect(hasPermission(orgManager, 'org:edit')).toBe(false)
    expect(hasPermission(haidianStaff, 'user:manage')).toBe(false)
  })

  it('hasPermission ignores where records are', () => {
    expect(hasPermission(orgManager, 'person:view')).toBe(true)
    expect(hasPermission(mediator, 'person:view')).toBe(true)
  })
})

describe('listScope', () => {
  it('is everything for an unscoped role', () => {
    expect(listScope(admin, 'person:view')).toEqual({ everything: true, regionPaths: [], orgIds: [], personIds: [] })
  })

  it('unions the regions, organisations and own record of several grants', () => {
    const several = principal(
      [
        grant('bureau_staff', { regionPath: HAIDIAN }),
        grant('bureau_staff', { regionPath: CHAOYANG }),
        grant('org_manager', { orgId: 'ORG-A' }),
        grant('mediator'),
      ],
      'P-SELF',
    )
    expect(listScope(several, 'person:view')).toEqual({
      everything: false,
      regionPaths: [HAIDIAN, CHAOYANG],
      orgIds: ['ORG-A'],
      personIds: ['P-SELF'],
    })
  })

  it('only counts grants that carry the permission', () => {
    const several = principal([grant('org_manager', { orgId: 'ORG-A' }), grant('mediator')], 'P-SELF')
    expect(listScope(several, 'org:view')).toEqual({ everything: false, regionPaths: [], orgIds: ['ORG-A'], personIds: [] })
  })

  it('is empty without the permission', () => {
    const scope = listScope(mediator, 'org:view')
    expect(isEmptyScope(scope)).toBe(true)
    expect(isEmptyScope(listScope(mediator, 'person:view'))).toBe(false)
  })
})

describe('reviewers (评审专家): region-scoped grading and library review', () => {
  const haidianReviewer = principal([grant('reviewer', { regionPath: HAIDIAN })])
  const unscopedReviewer = principal([grant('reviewer')])

  it('reach their region subtree for drill:grade and library:review, and nothing beside it', () => {
    for (const permission of ['drill:grade', 'library:review'] as const) {
      expect(allows(haidianReviewer, permission, { regionPath: HAIDIAN })).toBe(true)
      expect(allows(haidianReviewer, permission, { regionPath: HAIDIAN_TOWNSHIP })).toBe(true)
      expect(allows(haidianReviewer, permission, { regionPath: CHAOYANG })).toBe(false)
      expect(allows(haidianReviewer, permission, { regionPath: BEIJING })).toBe(false)
      expect(allows(haidianReviewer, permission, {})).toBe(false)
      expect(listScope(haidianReviewer, permission)).toEqual({ everything: false, regionPaths: [HAIDIAN], orgIds: [], personIds: [] })
    }
  })

  it('reach nothing with a grant that has no region (deny by default), though the permission shows', () => {
    for (const permission of ['drill:grade', 'library:review'] as const) {
      expect(hasPermission(unscopedReviewer, permission)).toBe(true)
      expect(allows(unscopedReviewer, permission, { regionPath: HAIDIAN })).toBe(false)
      expect(isEmptyScope(listScope(unscopedReviewer, permission))).toBe(true)
    }
  })

  it('still read the whole library', () => {
    expect(listScope(unscopedReviewer, 'library:read').everything).toBe(true)
  })
})
