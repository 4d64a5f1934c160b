/**
 * Finding personal numbers in text (security checklist 14, 26, 27): a full 18-character ID number
 * or an 11-digit mobile number. Two nets: the numbers known to be in the data (decrypted by the
 * test), and any well-formed ID number (valid date and GB 11643 check character) or mobile number
 * standing on its own, so a number the test did not know about is caught too.
 */
import { isValidIdNumber } from '#app/lib/personal-numbers.ts'

// Not inside a longer run of letters or digits (ULIDs, hashes, base64 are not numbers).
const CANDIDATES = /(?<![0-9A-Za-z])(\d{17}[\dXx]|1[3-9]\d{9})(?![0-9A-Za-z])/g
// Numbers split by the turbo-stream / JSON encoders never happen; ciphertext is base64 and hashes are hex.

export interface Leak {
  value: string
  kind: 'id' | 'phone'
  /** The text around it, to say where it was. */
  context: string
}

/** Every full ID or mobile number in `text` that is either known personal data or well formed. */
export function findPersonalNumbers(text: string, known: ReadonlySet<string>, allowed: ReadonlySet<string> = new Set()): Leak[] {
  const leaks: Leak[] = []
  for (const match of text.matchAll(CANDIDATES)) {
    const value = match[1]!.toUpperCase()
    if (allowed.has(value)) continue
    const kind = value.length === 18 ? 'id' : 'phone'
    if (known.has(value) || (kind === 'id' ? isValidIdNumber(value) : true)) {
      const at = match.index ?? 0
      leaks.push({ value, kind, context: text.slice(Math.max(0, at - 60), at + value.length + 20).replace(/\s+/g, ' ') })
    }
  }
  return leaks
}

/** The same over raw bytes (a database file): digits are ASCII in UTF-8, so latin1 keeps offsets and finds them. */
export function findPersonalNumbersInBytes(bytes: Buffer, known: ReadonlySet<string>, allowed?: ReadonlySet<string>): Leak[] {
  return findPersonalNumbers(bytes.toString('latin1'), known, allowed)
}
