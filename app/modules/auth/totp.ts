/**
 * TOTP codes (RFC 6238: HMAC-SHA-1, 30-second steps, 6 digits) through @oslojs/otp, with the clock
 * passed in so every rule is testable. A code is accepted for the current step and one step either
 * side (clock drift), and only for a step later than the last one accepted (no replay).
 */
import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp'
import { encodeBase32NoPadding } from '@oslojs/encoding'
import { constantTimeEqual } from '@oslojs/crypto/subtle'

export const TOTP = { periodSeconds: 30, digits: 6, driftSteps: 1, keyBytes: 20 } as const

export function timeStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP.periodSeconds)
}

/** A new 160-bit key (RFC 4226's recommended length) from the platform's CSPRNG. */
export function newTotpKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(TOTP.keyBytes))
}

export function codeForStep(key: Uint8Array, step: number): string {
  return generateHOTP(key, BigInt(step), TOTP.digits)
}

/** Digits only: people type codes with spaces, or paste them with a dash. */
export function normaliseCode(input: string): string {
  return input.replace(/[\s-]/g, '')
}

export type TotpMatch = { ok: true; step: number } | { ok: false; reason: 'invalid' | 'replay' }

/**
 * Checks a code against the steps around `nowMs`. `lastUsedStep` is the step of the last code
 * accepted for this key: a code from that step or earlier is a replay. The caller still has to
 * record the returned step atomically (two requests may race with the same code).
 */
export function matchTotp(key: Uint8Array, input: string, nowMs: number, lastUsedStep: number): TotpMatch {
  const code = normaliseCode(input)
  if (!/^\d{6}$/.test(code)) return { ok: false, reason: 'invalid' }
  const typed = new TextEncoder().encode(code)
  const current = timeStep(nowMs)
  let matched: number | null = null
  // Every candidate is computed and compared, so timing does not tell which step matched.
  for (let offset = -TOTP.driftSteps; offset <= TOTP.driftSteps; offset++) {
    const step = current + offset
    if (constantTimeEqual(typed, new TextEncoder().encode(codeForStep(key, step))) && matched === null) matched = step
  }
  if (matched === null) return { ok: false, reason: 'invalid' }
  if (matched <= lastUsedStep) return { ok: false, reason: 'replay' }
  return { ok: true, step: matched }
}

/** The secret as people type it into an authenticator app: base32 in groups of four. */
export function formatSecret(key: Uint8Array): string {
  return (
    encodeBase32NoPadding(key)
      .match(/.{1,4}/g)
      ?.join(' ') ?? ''
  )
}

/** The otpauth:// URI the QR code carries (Google Authenticator's key URI format). */
export function totpUri(issuer: string, accountName: string, key: Uint8Array): string {
  return createTOTPKeyURI(issuer, accountName, key, TOTP.periodSeconds, TOTP.digits)
}
