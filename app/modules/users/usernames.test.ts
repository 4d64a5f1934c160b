import { describe, expect, it } from 'vitest'
import { usernameField } from './schemas.ts'
import { isValidUsername, normaliseUsername } from './usernames.ts'

describe('usernames', () => {
  it('accepts lower-case letters, digits, dots, underscores and hyphens, 3 to 64 long', () => {
    for (const name of ['abc', 'zhang.san', 'hd_staff-2', '007', 'a'.repeat(64)]) expect(isValidUsername(name)).toBe(true)
  })

  it('refuses anything else', () => {
    for (const name of ['ab', 'a'.repeat(65), 'Zhang', '张三', 'zhang san', 'zhang@san', 'zhang/san', '', ' abc']) {
      expect(isValidUsername(name)).toBe(false)
    }
  })

  it('normalises what an administrator typed to lower case without surrounding spaces', () => {
    expect(normaliseUsername('  Zhang.San ')).toBe('zhang.san')
  })
})

describe('the username form field', () => {
  const parse = (value: unknown) => usernameField().safeParse(value)

  it('stores the normalised form', () => {
    expect(parse(' Li.Si ')).toEqual({ success: true, data: 'li.si' })
  })

  it('explains the rule when the name does not follow it', () => {
    for (const bad of ['ab', '张三', 'li si', 'x'.repeat(65)]) {
      const result = parse(bad)
      expect(result.success).toBe(false)
      expect(result.error?.issues[0]?.message).toBe('validation.username')
    }
  })

  it('says a missing username is required', () => {
    expect(parse('   ').error?.issues[0]?.message).toBe('validation.required')
  })
})
