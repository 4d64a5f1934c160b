/**
 * Password rules from ASVS 5.0 (V6.2) rather than composition rules or forced rotation
 * (docs/decisions/005-password-policy.md): length, a common-password list, no username inside.
 */
import { messageRef } from '#app/lib/i18n.ts'
import { COMMON_PASSWORDS } from './common-passwords.ts'

export const PASSWORD_MIN = 8
export const PRIVILEGED_PASSWORD_MIN = 12
export const PASSWORD_MAX = 128

/** Returns a message reference for the first problem, or null when the password is acceptable. */
export function passwordProblem(password: string, username: string, privileged: boolean): string | null {
  const min = privileged ? PRIVILEGED_PASSWORD_MIN : PASSWORD_MIN
  const length = [...password].length
  if (length < min) return messageRef('auth.password.tooShort', { min })
  if (length > PASSWORD_MAX) return messageRef('auth.password.tooLong', { max: PASSWORD_MAX })
  const lower = password.toLowerCase()
  if (COMMON_PASSWORDS.has(lower)) return 'auth.password.common'
  if (username.length >= 3 && lower.includes(username.toLowerCase())) return 'auth.password.containsUsername'
  return null
}
