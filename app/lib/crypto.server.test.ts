import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { decrypt, encrypt, lookupHash, parseKeyring, resetKeyring, sealPersonalNumber } from './crypto.server.ts'
import { resetEnvCache } from './env.server.ts'

const key1 = randomBytes(32).toString('base64')
const key2 = randomBytes(32).toString('base64')
const original = process.env.TIAOJIE_DATA_KEY

function useKeys(spec: string) {
  process.env.TIAOJIE_DATA_KEY = spec
  resetEnvCache()
  resetKeyring()
}

describe('personal-number encryption', () => {
  beforeEach(() => useKeys(`1:${key1}`))
  afterEach(() => {
    process.env.TIAOJIE_DATA_KEY = original
    resetEnvCache()
    resetKeyring()
  })

  it('round-trips and never repeats a ciphertext', () => {
    const a = encrypt('11010519491231002X')
    const b = encrypt('11010519491231002X')
    expect(a).not.toBe(b)
    expect(a.startsWith('v1.')).toBe(true)
    expect(a).not.toContain('11010519491231002X')
    expect(decrypt(a)).toBe('11010519491231002X')
  })

  it('rejects a tampered value', () => {
    const sealed = encrypt('13812345678')
    const parts = sealed.split('.')
    const data = Buffer.from(parts[3]!, 'base64url')
    data[0] = data[0]! ^ 1
    parts[3] = data.toString('base64url')
    expect(() => decrypt(parts.join('.'))).toThrow()
  })

  it('seals a number into ciphertext, lookup hash and mask in one step', () => {
    const sealed = sealPersonalNumber('id', '11010519491231002x')
    expect(sealed.masked).toBe('110105********002X')
    expect(sealed.hash).toBe(lookupHash('id', '11010519491231002X'))
    expect(decrypt(sealed.enc)).toBe('11010519491231002X')
    expect(sealPersonalNumber('phone', '+86 138-1234-5678').masked).toBe('138****5678')
  })

  it('keeps old values readable and lookup hashes stable after a key rotation', () => {
    const before = encrypt('13812345678')
    const hashBefore = lookupHash('phone', '13812345678')
    useKeys(`2:${key2},1:${key1}`)
    const after = encrypt('13812345678')
    expect(after.startsWith('v2.')).toBe(true)
    expect(decrypt(before)).toBe('13812345678')
    expect(decrypt(after)).toBe('13812345678')
    expect(lookupHash('phone', '13812345678')).toBe(hashBefore)
  })

  it('refuses keys of the wrong length', () => {
    expect(() => parseKeyring(`1:${randomBytes(16).toString('base64')}`)).toThrow(/32 bytes/)
  })
})
