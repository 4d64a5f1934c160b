/**
 * Settings of two-factor sign-in (/admin/settings, area "two-factor"): the roles that must use a
 * second factor and how recent a proof of identity must be before a sensitive account change.
 * Production enforces the default; the demo seed turns the requirement off (db/seed/two-factor.ts).
 */
import type { Executor } from '#app/lib/db.server.ts'
import { defineSetting, readSettings } from '#app/lib/settings.server.ts'
import { z } from '#app/lib/validation.ts'
import { DEFAULT_REQUIRED_ROLES, isRole, parseRoleList } from './two-factor-policy.ts'

export const TWO_FACTOR_SETTINGS = {
  /** Comma-separated role names; empty means nobody is required (everyone may still opt in). */
  requiredRoles: defineSetting(
    'twoFactor.requiredRoles',
    z
      .string()
      .max(200)
      .refine((text) => parseRoleList(text).every(isRole), 'twoFactor.settings.unknownRole')
      .transform((text) => parseRoleList(text).join(',')),
    DEFAULT_REQUIRED_ROLES.join(','),
  ),
  reauthMinutes: defineSetting('twoFactor.reauthMinutes', z.number().int().min(1).max(60), 10),
}

export function readTwoFactorSettings(db: Executor) {
  return readSettings(db, TWO_FACTOR_SETTINGS)
}
