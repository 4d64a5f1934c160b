import { describe, expect, it } from 'vitest'
import { RECOVERY_CODE_COUNT, hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes, normaliseRecoveryCode } from './recovery-codes.ts'

describe('recovery codes', () => {
  it('are ten distinct codes of ten characters from a 32-symbol alphabet', () => {
    const codes = newRecoveryCodes()
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT)
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT)
    for (const code of codes) {
      expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/)
      expect(looksLikeRecoveryCode(code)).toBe(true)
    }
  })

  it('use the whole alphabet (no bias towards a few symbols)', () => {
    const seen = new Set(newRecoveryCodes(200).join('').replaceAll('-', ''))
    expect(seen.size).toBe(32)
  })

  it('are read as typed: any case, spaces or dashes, look-alike letters as digits', () => {
    expect(normaliseRecoveryCode(' AB0DE-1FGHJ ')).toBe('ab0de1fghj')
    expect(normaliseRecoveryCode('abOde Ifghj')).toBe('ab0de1fghj')
    expect(hashRecoveryCode('u1', 'AB0DE-1FGHJ')).toBe(hashRecoveryCode('u1', 'abode lfghj'))
  })

  it('hash with the user id, so the same code of two users stores differently', () => {
    expect(hashRecoveryCode('u1', 'ab0de-1fghj')).toMatch(/^[0-9a-f]{64}$/)
    expect(hashRecoveryCode('u1', 'ab0de-1fghj')).not.toBe(hashRecoveryCode('u2', 'ab0de-1fghj'))
  })

  it('refuse what cannot be a recovery code', () => {
    for (const bad of ['', '123456', 'abcde-fgh', 'abcde-fghjkm', 'abcde_fghjk']) expect(looksLikeRecoveryCode(bad)).toBe(false)
  })
})
