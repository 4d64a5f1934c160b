/**
 * Usernames: what administrators may choose when opening an account. Lower case only, so the
 * unique key means the same on SQLite (binary comparison) and MariaDB (utf8mb4_bin here, but
 * case-insensitive collations elsewhere), and people can type them on a phone without surprises.
 */
export const USERNAME_MIN = 3
export const USERNAME_MAX = 64
export const USERNAME_PATTERN = /^[a-z0-9._-]{3,64}$/

/** What an administrator typed, as it will be stored: trimmed and lower-cased. */
export function normaliseUsername(value: string): string {
  return value.trim().toLowerCase()
}

/** True for a normalised username that follows the rules. */
export function isValidUsername(value: string): boolean {
  return USERNAME_PATTERN.test(value)
}
