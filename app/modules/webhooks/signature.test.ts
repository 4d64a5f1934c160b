import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { computeSignature, parseSignatureHeader, signatureHeader, verifySignature } from './signature.ts'

const SECRET = 'whsec_test-secret'
const BODY = '{"id":"01JEXAMPLE","type":"case.status_changed","data":{"status":"accepted"}}'
const T = 1_796_000_000

describe('webhook signatures', () => {
  it('is HMAC-SHA256 of "<t>.<body>" in hex, in the t=…,v1=… header', () => {
    const expected = createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex')
    expect(computeSignature(SECRET, T, BODY)).toBe(expected)
    expect(signatureHeader(SECRET, BODY, T)).toBe(`t=${T},v1=${expected}`)
  })

  it('verifies a fresh signature of the same bytes', () => {
    expect(verifySignature(SECRET, BODY, signatureHeader(SECRET, BODY, T), { nowSeconds: T + 10 })).toEqual({ ok: true, timestamp: T })
  })

  it('refuses a changed body, a wrong secret and a changed timestamp', () => {
    const header = signatureHeader(SECRET, BODY, T)
    expect(verifySignature(SECRET, BODY.replace('accepted', 'closed'), header, { nowSeconds: T })).toEqual({
      ok: false,
      reason: 'mismatch',
    })
    expect(verifySignature('whsec_other', BODY, header, { nowSeconds: T })).toEqual({ ok: false, reason: 'mismatch' })
    const moved = header.replace(`t=${T}`, `t=${T + 1}`)
    expect(verifySignature(SECRET, BODY, moved, { nowSeconds: T })).toEqual({ ok: false, reason: 'mismatch' })
  })

  it('refuses a signature older (or newer) than the tolerance', () => {
    const header = signatureHeader(SECRET, BODY, T)
    expect(verifySignature(SECRET, BODY, header, { nowSeconds: T + 301 })).toEqual({ ok: false, reason: 'expired' })
    expect(verifySignature(SECRET, BODY, header, { nowSeconds: T - 301 })).toEqual({ ok: false, reason: 'expired' })
    expect(verifySignature(SECRET, BODY, header, { nowSeconds: T + 900, toleranceSeconds: 1000 }).ok).toBe(true)
  })

  it('refuses malformed headers and accepts any one matching v1 of several', () => {
    for (const bad of [null, '', 'v1=abc', `t=${T}`, `t=x,v1=${'0'.repeat(64)}`, `t=${T},v1=XYZ`]) {
      expect(verifySignature(SECRET, BODY, bad, { nowSeconds: T })).toEqual({ ok: false, reason: 'malformed' })
    }
    const good = computeSignature(SECRET, T, BODY)
    const rotated = `t=${T},v1=${computeSignature('whsec_old', T, BODY)},v1=${good}`
    expect(verifySignature(SECRET, BODY, rotated, { nowSeconds: T }).ok).toBe(true)
    expect(parseSignatureHeader(rotated)?.signatures).toHaveLength(2)
  })
})
