/**
 * How long the parties' personal data of a closed case is kept (stored in `settings` under
 * `retention.*`). The schema refuses anything under six months, so a slip of the keyboard on
 * /admin/settings cannot make the next daily run wipe the parties of recently closed cases.
 */
import type { Executor } from '#app/lib/db.server.ts'
import { defineSetting, readSettings } from '#app/lib/settings.server.ts'
import { z } from '#app/lib/validation.ts'
import { DEFAULT_RETENTION_MONTHS, MAX_RETENTION_MONTHS, MIN_RETENTION_MONTHS } from './rules.ts'

export const RETENTION_SETTINGS = {
  partyDataMonths: defineSetting(
    'retention.partyDataMonths',
    z.number().int().min(MIN_RETENTION_MONTHS).max(MAX_RETENTION_MONTHS),
    DEFAULT_RETENTION_MONTHS,
  ),
}

export function readRetentionSettings(db: Executor) {
  return readSettings(db, RETENTION_SETTINGS)
}
