/**
 * Credentials of the partner API: 256 random bits, base64url, with a prefix that says what they are.
 * Only SHA-256 hashes reach the database (a dump holds nothing usable); lookups go by hash, so a
 * secret is never compared character by character.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { ACCESS_TOKEN_PREFIX, SECRET_PREFIX } from './model.ts'

export function newClientSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url')
}

export function newAccessToken(): string {
  return ACCESS_TOKEN_PREFIX + randomBytes(32).toString('base64url')
}

/** The webhook signing secret (the webhooks module signs deliveries with it). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`
}

export function hashCredential(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex')
}

/** Constant-time comparison of two hex hashes of equal length. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex')
  const y = Buffer.from(b, 'hex')
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y)
}

/** The last four characters, to tell secrets apart in the admin list. */
export function secretHint(secret: string): string {
  return secret.slice(-4)
}
