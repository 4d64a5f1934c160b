import { describe, expect, it } from 'vitest'
import type { Role } from '#db/schema.ts'
import { createUserSchema } from './schemas.ts'
import { isPrivileged, missingScope, normaliseGrant, removesOwnLastAdmin, scopeKindOf } from './grant-rules.ts'

const ORG = '01JD0000000000000000000001'

describe('grant scope', () => {
  it('knows which roles need a region or an organisation', () => {
    expect(scopeKindOf('bureau_staff')).toBe('region')
    expect(scopeKindOf('reviewer')).toBe('region')
    expect(scopeKindOf('association_admin')).toBe('org')
    expect(scopeKindOf('org_manager')).toBe('org')
    for (const role of ['admin', 'security_admin', 'auditor', 'mediator', 'expert'] as Role[]) {
      expect(scopeKindOf(role)).toBe('none')
    }
  })

  it('refuses scoped roles without their scope', () => {
    expect(missingScope({ role: 'bureau_staff' })).toEqual({ field: 'regionCode', message: 'users.grant.regionRequired' })
    expect(missingScope({ role: 'bureau_staff', orgId: ORG })).toEqual({ field: 'regionCode', message: 'users.grant.regionRequired' })
    expect(missingScope({ role: 'org_manager', regionCode: '110108' })).toEqual({ field: 'orgId', message: 'users.grant.orgRequired' })
    expect(missingScope({ role: 'bureau_staff', regionCode: '110108' })).toBeNull()
    expect(missingScope({ role: 'admin' })).toBeNull()
    expect(missingScope({ role: 'reviewer' })).toEqual({ field: 'regionCode', message: 'users.grant.regionRequired' })
    expect(missingScope({ role: 'reviewer', regionCode: '110108' })).toBeNull()
  })

  it('keeps only the scope a role uses', () => {
    expect(normaliseGrant({ role: 'admin', regionCode: '110108', orgId: ORG })).toEqual({ role: 'admin', regionCode: null, orgId: null })
    expect(normaliseGrant({ role: 'bureau_staff', regionCode: '110108', orgId: ORG })).toEqual({
      role: 'bureau_staff',
      regionCode: '110108',
      orgId: null,
    })
    expect(normaliseGrant({ role: 'org_manager', regionCode: '110108', orgId: ORG })).toEqual({
      role: 'org_manager',
      regionCode: null,
      orgId: ORG,
    })
  })
})

describe('privileged roles', () => {
  it('covers the administrative, bureau and association roles', () => {
    expect(isPrivileged(['admin'])).toBe(true)
    expect(isPrivileged(['mediator', 'bureau_staff'])).toBe(true)
    expect(isPrivileged(['association_admin'])).toBe(true)
    expect(isPrivileged(['mediator', 'expert', 'reviewer', 'org_manager'])).toBe(false)
    expect(isPrivileged([])).toBe(false)
  })
})

describe('own last admin grant', () => {
  const grants = [
    { id: 'G1', role: 'admin' as Role },
    { id: 'G2', role: 'auditor' as Role },
  ]

  it('cannot be removed by its holder', () => {
    expect(removesOwnLastAdmin('U1', 'U1', grants, 'G1')).toBe(true)
  })

  it('can be removed by another administrator, and other grants by anyone', () => {
    expect(removesOwnLastAdmin('U2', 'U1', grants, 'G1')).toBe(false)
    expect(removesOwnLastAdmin('U1', 'U1', grants, 'G2')).toBe(false)
  })

  it('can be removed by its holder when another admin grant remains', () => {
    expect(removesOwnLastAdmin('U1', 'U1', [...grants, { id: 'G3', role: 'admin' }], 'G1')).toBe(false)
  })
})

describe('the create-account form', () => {
  const base = { username: 'Wang.Wu', displayName: '王五' }

  it('accepts only its own fields: status, version and ids in the form are dropped', () => {
    const result = createUserSchema.safeParse({
      ...base,
      status: 'disabled',
      version: '7',
      id: 'X',
      passwordHash: 'x',
      grants: [{ role: 'admin', regionCode: '110108', userId: 'someone-else' }],
    })
    expect(result.success).toBe(true)
    expect(result.data).toEqual({ username: 'wang.wu', displayName: '王五', grants: [{ role: 'admin', regionCode: null, orgId: null }] })
  })

  it('needs at least one grant, and refuses unknown roles and scoped roles without scope', () => {
    expect(createUserSchema.safeParse({ ...base, grants: [] }).error?.issues[0]).toMatchObject({
      path: ['grants'],
      message: 'users.grant.atLeastOne',
    })
    expect(createUserSchema.safeParse({ ...base, grants: [{ role: 'superuser' }] }).success).toBe(false)
    expect(createUserSchema.safeParse({ ...base, grants: [{ role: 'bureau_staff' }] }).error?.issues[0]).toMatchObject({
      path: ['grants', 0, 'regionCode'],
      message: 'users.grant.regionRequired',
    })
  })
})
