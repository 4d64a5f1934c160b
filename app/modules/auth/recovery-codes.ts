/**
 * Recovery codes: ten single-use codes shown once when a second factor is enrolled (or the codes
 * are regenerated). Each has 50 random bits, so a fast hash is enough to store it (like session
 * tokens, and unlike passwords, nobody chooses them); the user id salts the hash.
 */
import { sha256 } from '@oslojs/crypto/sha2'
import { encodeHexLowerCase } from '@oslojs/encoding'

export const RECOVERY_CODE_COUNT = 10
/** Crockford's base32 in lower case: digits and letters without i, l, o, u; 32 symbols, 5 bits each. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'
const LENGTH = 10

function randomCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(LENGTH))
  let code = ''
  // 256 is a multiple of 32, so `byte % 32` is uniform.
  for (const byte of bytes) code += ALPHABET[byte % 32]
  return `${code.slice(0, 5)}-${code.slice(5)}`
}

export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const codes = new Set<string>()
  while (codes.size < count) codes.add(randomCode())
  return [...codes]
}

/** What the user typed, as stored: lower case, no spaces or dashes, look-alikes read as digits. */
export function normaliseRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]/g, '').replace(/o/g, '0').replace(/[il]/g, '1')
}

export function looksLikeRecoveryCode(input: string): boolean {
  return /^[a-z0-9]{10}$/.test(normaliseRecoveryCode(input))
}

export function hashRecoveryCode(userId: string, input: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(`${userId}:${normaliseRecoveryCode(input)}`)))
}
