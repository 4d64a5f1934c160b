import { describe, expect, it } from 'vitest'
import type { Principal, ResolvedGrant } from '#app/modules/auth/policy.ts'
import type { Role } from '#db/schema.ts'
import {
  expertAccess,
  expertBodyScope,
  expertViewScope,
  isOwnExpert,
  mayDecideRecommendation,
  mayEditExpert,
  mayRevealExpert,
  mayViewExpert,
} from './scope.ts'

const BEIJING = '/110000/'
const HAIDIAN = '/110000/110108/'
const CHAOYANG = '/110000/110105/'
const ZHONGGUANCUN = '/110000/110108/110108011/'

function grant(role: Role, regionPath: string | null = null, orgId: string | null = null): ResolvedGrant {
  return { role, regionPath, regionCode: regionPath?.split('/').at(-2) ?? null, orgId }
}
const who = (grants: ResolvedGrant[], personId: string | null = null): Principal => ({ userId: 'U', personId, grants })

const hdStaff = who([grant('bureau_staff', HAIDIAN)])
const bjStaff = who([grant('bureau_staff', BEIJING)])
const cyStaff = who([grant('bureau_staff', CHAOYANG)])
const admin = who([grant('admin')])
const manager = who([grant('org_manager', ZHONGGUANCUN, 'ORG')])
const association = who([grant('association_admin', BEIJING, 'ASSOC')])
const expertUser = who([grant('expert')], 'P-H')
const mediator = who([grant('mediator')], 'P-M')

const haidianExpert = { personId: 'P-H', regionCode: '110108', regionPath: HAIDIAN }
const chaoyangExpert = { personId: 'P-C', regionCode: '110105', regionPath: CHAOYANG }
const municipalExpert = { personId: 'P-B', regionCode: '110000', regionPath: BEIJING }
const nationalExpert = { personId: 'P-N', regionCode: null, regionPath: null }

describe('seeing experts', () => {
  it('shows district staff their own experts and the higher tiers above them, not their neighbours', () => {
    expect(mayViewExpert(hdStaff, haidianExpert)).toBe(true)
    expect(mayViewExpert(hdStaff, municipalExpert)).toBe(true)
    expect(mayViewExpert(hdStaff, nationalExpert)).toBe(true)
    expect(mayViewExpert(hdStaff, chaoyangExpert)).toBe(false)
  })

  it('shows a city everything below it, and committees the pool they can call on', () => {
    expect(mayViewExpert(bjStaff, chaoyangExpert)).toBe(true)
    expect(mayViewExpert(association, haidianExpert)).toBe(true)
    expect(mayViewExpert(manager, haidianExpert)).toBe(true)
    expect(mayViewExpert(manager, municipalExpert)).toBe(true)
    expect(mayViewExpert(manager, chaoyangExpert)).toBe(false)
  })

  it('shows an expert only themself, and mediators nothing', () => {
    expect(mayViewExpert(expertUser, haidianExpert)).toBe(true)
    expect(mayViewExpert(expertUser, municipalExpert)).toBe(false)
    expect(mayViewExpert(mediator, haidianExpert)).toBe(false)
  })
})

describe('changing experts', () => {
  it('lets only the appointing body edit: not the city above, not the district below', () => {
    expect(mayEditExpert(hdStaff, haidianExpert)).toBe(true)
    expect(mayEditExpert(bjStaff, haidianExpert)).toBe(false)
    expect(mayEditExpert(hdStaff, municipalExpert)).toBe(false)
    expect(mayEditExpert(bjStaff, municipalExpert)).toBe(true)
    expect(mayEditExpert(cyStaff, haidianExpert)).toBe(false)
  })

  it('leaves the national pool to administrators', () => {
    expect(mayEditExpert(bjStaff, nationalExpert)).toBe(false)
    expect(mayEditExpert(admin, nationalExpert)).toBe(true)
    expect(mayDecideRecommendation(bjStaff, null)).toBe(false)
    expect(mayDecideRecommendation(admin, null)).toBe(true)
  })

  it('never lets an expert, a manager or an association edit a profile', () => {
    expect(mayEditExpert(expertUser, haidianExpert)).toBe(false)
    expect(mayEditExpert(manager, haidianExpert)).toBe(false)
    expect(mayEditExpert(association, municipalExpert)).toBe(false)
    expect(isOwnExpert(expertUser, haidianExpert)).toBe(true)
    expect(isOwnExpert(expertUser, municipalExpert)).toBe(false)
    expect(isOwnExpert(mediator, { personId: 'P-M' })).toBe(false)
  })

  it('reveals numbers within the subtree only: higher-tier experts seen from below stay masked', () => {
    expect(mayRevealExpert(hdStaff, haidianExpert)).toBe(true)
    expect(mayRevealExpert(bjStaff, haidianExpert)).toBe(true)
    expect(mayRevealExpert(hdStaff, municipalExpert)).toBe(false)
    expect(mayRevealExpert(manager, haidianExpert)).toBe(false)
    expect(expertAccess(hdStaff, municipalExpert)).toEqual({ view: true, edit: false, reveal: false, recommend: false, self: false })
  })

  it('has the body a recommendation is addressed to decide it', () => {
    expect(mayDecideRecommendation(bjStaff, '110000')).toBe(true)
    expect(mayDecideRecommendation(hdStaff, '110000')).toBe(false)
  })
})

describe('list scopes', () => {
  it('turns grants into subtrees, ancestors and the national pool', () => {
    expect(expertViewScope(hdStaff)).toEqual({
      everything: false,
      subtreePaths: [HAIDIAN],
      ancestorCodes: ['110000'],
      national: true,
      personIds: [],
    })
    expect(expertViewScope(manager).ancestorCodes).toEqual(['110000', '110108'])
    expect(expertViewScope(expertUser)).toEqual({
      everything: false,
      subtreePaths: [],
      ancestorCodes: [],
      national: false,
      personIds: ['P-H'],
    })
    expect(expertViewScope(admin).everything).toBe(true)
  })

  it('lists the appointing bodies a user edits for', () => {
    expect(expertBodyScope(hdStaff, 'expert:edit')).toEqual({ everything: false, regionCodes: ['110108'] })
    expect(expertBodyScope(manager, 'expert:edit')).toEqual({ everything: false, regionCodes: [] })
    expect(expertBodyScope(admin, 'expert:recommend').everything).toBe(true)
  })
})
