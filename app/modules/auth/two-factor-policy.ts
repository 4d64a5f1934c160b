/**
 * Rules of two-factor sign-in, pure so they are unit-tested: which roles must use a second factor
 * (the setting twoFactor.requiredRoles), how long a half-done sign-in lives, and when a session's
 * last proof of identity is recent enough for a sensitive change.
 */
import type { Role } from '#db/schema.ts'
import { ROLES } from './policy.ts'

export const TWO_FACTOR = {
  /** Minutes to enter the code after the password. */
  verifyMinutes: 5,
  /** Minutes to set up an authenticator app when the role requires one. */
  enrolMinutes: 15,
  /** Wrong codes one half-done sign-in may take before the password is asked again. */
  attemptsPerPending: 5,
} as const

export const DEFAULT_REQUIRED_ROLES: Role[] = ['admin', 'bureau_staff', 'association_admin']

/** Splits the setting's text (`admin, bureau_staff`) into roles; unknown names are refused by the schema. */
export function parseRoleList(text: string): string[] {
  return text
    .split(/[,，\s]+/)
    .map((part) => part.trim())
    .filter(Boolean)
}

export function isRole(name: string): name is Role {
  return (ROLES as string[]).includes(name)
}

export function requiredRoles(setting: string): Role[] {
  return parseRoleList(setting).filter(isRole)
}

/** True when any of the user's roles is one the setting requires a second factor for. */
export function secondFactorRequired(userRoles: readonly Role[], setting: string): boolean {
  const required = requiredRoles(setting)
  return userRoles.some((role) => required.includes(role))
}

/** True when the last proof of identity is less than `minutes` old. */
export function isRecent(at: string | null, minutes: number, now: number): boolean {
  if (!at) return false
  const age = now - Date.parse(at)
  return age >= 0 && age < minutes * 60_000
}
