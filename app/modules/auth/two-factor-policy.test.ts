import { describe, expect, it } from 'vitest'
import { DEFAULT_REQUIRED_ROLES, isRecent, parseRoleList, requiredRoles, secondFactorRequired } from './two-factor-policy.ts'

describe('which roles must use a second factor', () => {
  const setting = DEFAULT_REQUIRED_ROLES.join(',')

  it('by default admin, bureau staff and association admins, not the others', () => {
    expect(secondFactorRequired(['admin'], setting)).toBe(true)
    expect(secondFactorRequired(['bureau_staff'], setting)).toBe(true)
    expect(secondFactorRequired(['association_admin'], setting)).toBe(true)
    expect(secondFactorRequired(['mediator'], setting)).toBe(false)
    expect(secondFactorRequired(['expert', 'reviewer'], setting)).toBe(false)
    expect(secondFactorRequired([], setting)).toBe(false)
  })

  it('any one required role is enough', () => {
    expect(secondFactorRequired(['mediator', 'bureau_staff'], setting)).toBe(true)
  })

  it('an empty setting requires nobody (the demo)', () => {
    expect(secondFactorRequired(['admin'], '')).toBe(false)
  })

  it('reads commas (either width) and spaces, ignoring unknown names', () => {
    expect(parseRoleList(' admin ，mediator, expert ')).toEqual(['admin', 'mediator', 'expert'])
    expect(requiredRoles('admin, wizard')).toEqual(['admin'])
  })
})

describe('a recent proof of identity', () => {
  const now = Date.parse('2026-12-05T10:00:00.000Z')
  it('counts for the configured minutes only', () => {
    expect(isRecent('2026-12-05T09:55:00.000Z', 10, now)).toBe(true)
    expect(isRecent('2026-12-05T09:50:00.000Z', 10, now)).toBe(false)
    expect(isRecent(null, 10, now)).toBe(false)
    // A timestamp from the future (clock skew between servers) is no proof.
    expect(isRecent('2026-12-05T10:05:00.000Z', 10, now)).toBe(false)
  })
})
