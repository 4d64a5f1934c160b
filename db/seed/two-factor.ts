/**
 * The demo signs in as administrators and bureau staff all the time (so do the end-to-end tests),
 * so the demo seed turns the second-factor requirement off. Production keeps the default
 * (admin, bureau_staff, association_admin must enrol): this never runs with NODE_ENV=production,
 * and it writes only when the setting was never stored, so a value chosen on the settings page stays.
 */
import type { Executor } from '#app/lib/db.server.ts'
import { nowIso } from '#app/lib/time.ts'
import { TWO_FACTOR_SETTINGS } from '#app/modules/auth/two-factor-settings.server.ts'

export async function seedTwoFactorDemo(db: Executor): Promise<{ waived: boolean }> {
  const key = TWO_FACTOR_SETTINGS.requiredRoles.key
  const row = await db.selectFrom('settings').select('key').where('key', '=', key).executeTakeFirst()
  if (row) return { waived: false }
  await db
    .insertInto('settings')
    .values({ key, value: JSON.stringify(''), version: 1, updated_at: nowIso(), updated_by: null })
    .execute()
  return { waived: true }
}
