import { describe, expect, it } from 'vitest'
import { allowedScopes, canRefer, grantedScopes, parseScopes } from './model.ts'

describe('partner API scopes', () => {
  it('lets only courts and police refer cases', () => {
    expect(canRefer('court')).toBe(true)
    expect(canRefer('police')).toBe(true)
    expect(canRefer('procuratorate')).toBe(false)
    expect(canRefer('partner')).toBe(false)
    expect(allowedScopes('partner')).not.toContain('cases:refer')
    expect(allowedScopes('court')).toContain('cases:refer')
  })

  it('parses stored scopes, dropping anything unknown or malformed', () => {
    expect(parseScopes('["cases:read","admin:all","organisations:read"]')).toEqual(['organisations:read', 'cases:read'])
    expect(parseScopes('not json')).toEqual([])
    expect(parseScopes('{"a":1}')).toEqual([])
    expect(parseScopes(null)).toEqual([])
  })

  it('grants a token the requested subset of the client’s scopes, or refuses (invalid_scope)', () => {
    const held = ['organisations:read', 'cases:read'] as const
    expect(grantedScopes(undefined, held)).toEqual(['organisations:read', 'cases:read'])
    expect(grantedScopes('  ', held)).toEqual(['organisations:read', 'cases:read'])
    expect(grantedScopes('cases:read  cases:read', held)).toEqual(['cases:read'])
    expect(grantedScopes('cases:read cases:refer', held)).toBeNull()
    expect(grantedScopes('everything', held)).toBeNull()
  })
})
