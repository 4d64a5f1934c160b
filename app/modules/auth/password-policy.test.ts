import { describe, expect, it } from 'vitest'
import { PASSWORD_MAX, PASSWORD_MIN, PRIVILEGED_PASSWORD_MIN, passwordProblem } from './password-policy.ts'

const privileged = true
const ordinary = false

describe('password length', () => {
  it('asks ordinary accounts for at least 8 characters', () => {
    expect(PASSWORD_MIN).toBe(8)
    expect(passwordProblem('river-7', 'mediator', ordinary)).toBe('auth.password.tooShort?min=8')
    expect(passwordProblem('river-71', 'mediator', ordinary)).toBeNull()
  })

  it('asks privileged accounts for at least 12 characters', () => {
    expect(PRIVILEGED_PASSWORD_MIN).toBe(12)
    expect(passwordProblem('river-lamp-7', 'admin', privileged)).toBeNull()
    expect(passwordProblem('river-lamp7', 'admin', privileged)).toBe('auth.password.tooShort?min=12')
  })

  it('accepts up to 128 characters and no more', () => {
    expect(PASSWORD_MAX).toBe(128)
    expect(passwordProblem('k'.repeat(127) + 'x', 'mediator', ordinary)).toBeNull()
    expect(passwordProblem('k'.repeat(128) + 'x', 'mediator', ordinary)).toBe('auth.password.tooLong?max=128')
  })

  it('counts characters, not bytes or UTF-16 units', () => {
    // Eight Chinese characters are eight characters (24 bytes in UTF-8).
    expect(passwordProblem('春眠不觉晓处处', 'mediator', ordinary)).toBe('auth.password.tooShort?min=8')
    expect(passwordProblem('春眠不觉晓处处闻', 'mediator', ordinary)).toBeNull()
    // Seven emoji are fourteen UTF-16 units but still seven characters.
    expect(passwordProblem('🐼🐼🐼🐼🐼🐼🐼', 'mediator', ordinary)).toBe('auth.password.tooShort?min=8')
  })
})

describe('password content', () => {
  it('has no composition rules: a passphrase of lower-case words is fine', () => {
    expect(passwordProblem('correct horse battery staple', 'mediator', privileged)).toBeNull()
    expect(passwordProblem('tingyuxuan zai beijing', 'mediator', ordinary)).toBeNull()
  })

  it('refuses common passwords whatever their case', () => {
    expect(passwordProblem('12345678', 'mediator', ordinary)).toBe('auth.password.common')
    expect(passwordProblem('PassWord123', 'mediator', ordinary)).toBe('auth.password.common')
    expect(passwordProblem('woaini1314', 'mediator', ordinary)).toBe('auth.password.common')
  })

  it('refuses a password that contains the username', () => {
    expect(passwordProblem('my-zhang.san-pass', 'zhang.san', ordinary)).toBe('auth.password.containsUsername')
    expect(passwordProblem('MY-ZHANG.SAN-PASS', 'zhang.san', ordinary)).toBe('auth.password.containsUsername')
  })

  it('does not treat a very short username as contained everywhere', () => {
    expect(passwordProblem('blue-lantern-river', 'ri', ordinary)).toBeNull()
  })
})
