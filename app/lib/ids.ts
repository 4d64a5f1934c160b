// Crockford base32: no I, L, O, U, so ids survive being read aloud or retyped.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/**
 * A 26-character, time-ordered id (48 bits of milliseconds + 80 random bits, the ULID layout).
 * Made in the app so neither dialect needs RETURNING or auto-increment; sorting by id is sorting
 * by creation time, which keyset pagination relies on.
 */
export function newId(now = Date.now()): string {
  let time = ''
  let t = now
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time
    t = Math.floor(t / 32)
  }
  // Web Crypto (Node 20 and browsers): schemas that check ids with ID_PATTERN run in the browser too.
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16))
  let rand = ''
  for (let i = 0; i < 16; i++) rand += ALPHABET[bytes[i]! % 32]
  return time + rand
}

export const ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/

export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value)
}
