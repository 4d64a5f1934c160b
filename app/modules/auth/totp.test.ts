import { decodeBase32IgnorePadding } from '@oslojs/encoding'
import { describe, expect, it } from 'vitest'
import { codeForStep, formatSecret, matchTotp, newTotpKey, normaliseCode, timeStep, totpUri } from './totp.ts'

// RFC 6238 appendix B: the SHA-1 test key is the ASCII string "12345678901234567890".
const RFC_KEY = new TextEncoder().encode('12345678901234567890')
const at = (seconds: number) => seconds * 1000

describe('TOTP codes', () => {
  it('match the RFC 6238 test vectors (SHA-1, last 6 of the 8 digits)', () => {
    expect(codeForStep(RFC_KEY, timeStep(at(59)))).toBe('287082')
    expect(codeForStep(RFC_KEY, timeStep(at(1111111109)))).toBe('081804')
    expect(codeForStep(RFC_KEY, timeStep(at(1234567890)))).toBe('005924')
    expect(codeForStep(RFC_KEY, timeStep(at(2000000000)))).toBe('279037')
  })

  it('accept the current step and one step either side, nothing further', () => {
    const now = at(1_700_000_015)
    const step = timeStep(now)
    expect(matchTotp(RFC_KEY, codeForStep(RFC_KEY, step), now, 0)).toEqual({ ok: true, step })
    expect(matchTotp(RFC_KEY, codeForStep(RFC_KEY, step - 1), now, 0)).toEqual({ ok: true, step: step - 1 })
    expect(matchTotp(RFC_KEY, codeForStep(RFC_KEY, step + 1), now, 0)).toEqual({ ok: true, step: step + 1 })
    expect(matchTotp(RFC_KEY, codeForStep(RFC_KEY, step - 2), now, 0)).toEqual({ ok: false, reason: 'invalid' })
    expect(matchTotp(RFC_KEY, codeForStep(RFC_KEY, step + 2), now, 0)).toEqual({ ok: false, reason: 'invalid' })
  })

  it('a code expires with the clock: valid for 30 s plus one step of drift', () => {
    const issued = at(1_700_000_010)
    const code = codeForStep(RFC_KEY, timeStep(issued))
    expect(matchTotp(RFC_KEY, code, issued + 29_000, 0).ok).toBe(true)
    expect(matchTotp(RFC_KEY, code, issued + 60_000, 0).ok).toBe(false)
  })

  it('refuse a code of a step already used, or older (replay)', () => {
    const now = at(1_700_000_015)
    const step = timeStep(now)
    const code = codeForStep(RFC_KEY, step)
    expect(matchTotp(RFC_KEY, code, now, step)).toEqual({ ok: false, reason: 'replay' })
    expect(matchTotp(RFC_KEY, codeForStep(RFC_KEY, step - 1), now, step)).toEqual({ ok: false, reason: 'replay' })
    // The next step's code is still good after this one was used.
    expect(matchTotp(RFC_KEY, codeForStep(RFC_KEY, step + 1), now, step)).toEqual({ ok: true, step: step + 1 })
  })

  it('take codes typed with spaces and refuse anything that is not six digits', () => {
    const now = at(1_700_000_015)
    const code = codeForStep(RFC_KEY, timeStep(now))
    expect(matchTotp(RFC_KEY, `${code.slice(0, 3)} ${code.slice(3)}`, now, 0).ok).toBe(true)
    expect(normaliseCode(' 123-456 ')).toBe('123456')
    for (const bad of ['', '12345', '1234567', 'abcdef', `${code}0`]) expect(matchTotp(RFC_KEY, bad, now, 0).ok).toBe(false)
  })

  it('make 160-bit keys that differ, shown in base32 groups and in an otpauth URI', () => {
    const a = newTotpKey()
    const b = newTotpKey()
    expect(a).toHaveLength(20)
    expect(a).not.toEqual(b)
    const shown = formatSecret(a)
    expect(shown).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/)
    expect(decodeBase32IgnorePadding(shown.replaceAll(' ', ''))).toEqual(a)
    const uri = new URL(totpUri('Tiaojie', 'mediator', a))
    expect(uri.protocol).toBe('otpauth:')
    expect(uri.searchParams.get('secret')).toBe(shown.replaceAll(' ', ''))
    expect(uri.searchParams.get('period')).toBe('30')
    expect(uri.searchParams.get('digits')).toBe('6')
  })
})
