/** The home dashboard's configurable defaults (stored in `settings` under `dashboard.*`). */
import type { Executor } from '#app/lib/db.server.ts'
import { defineSetting, readSettings } from '#app/lib/settings.server.ts'
import { z } from '#app/lib/validation.ts'

export const DASHBOARD_SETTINGS = {
  /** An expert invitation still unanswered after this many days is flagged on the staff home. */
  staleInvitationDays: defineSetting('dashboard.staleInvitationDays', z.number().int().min(1).max(60), 3),
  /** Grades whose validity ends within this many days count as expiring on the association home. */
  gradeExpiryDays: defineSetting('dashboard.gradeExpiryDays', z.number().int().min(7).max(365), 90),
}

export type DashboardSettings = { [K in keyof typeof DASHBOARD_SETTINGS]: (typeof DASHBOARD_SETTINGS)[K]['fallback'] }

export function readDashboardSettings(db: Executor): Promise<DashboardSettings> {
  return readSettings(db, DASHBOARD_SETTINGS)
}
