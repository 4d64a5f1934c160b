/**
 * The expert pool's configurable defaults (domain.md: local rules differ, so none of these is a
 * constant in the logic). Stored in `settings` under `experts.*`; the values here apply until an
 * administrator stores others.
 */
import type { Executor } from '#app/lib/db.server.ts'
import { defineSetting, readSettings } from '#app/lib/settings.server.ts'
import { z } from '#app/lib/validation.ts'
import { cachedSettingsReader } from '#app/modules/settings/cached.server.ts'

export const EXPERT_SETTINGS = {
  /** Age at which admission and renewal warn (example condition: under 70). */
  ageLimit: defineSetting('experts.ageLimit', z.number().int().min(40).max(100), 70),
  /** Terms ending within this many days are listed for renewal (即将到期). */
  renewalWindowDays: defineSetting('experts.renewalWindowDays', z.number().int().min(1).max(730), 60),
  /** Length of a new or renewed term (5 years in one city, 1-2 elsewhere). */
  defaultTermYears: defineSetting('experts.defaultTermYears', z.number().int().min(1).max(10), 5),
  /** Default maximum number of cases an expert works on at once. */
  defaultMaxConcurrentCases: defineSetting('experts.defaultMaxConcurrentCases', z.number().int().min(1).max(20), 3),
  /** Largest accepted photo, in bytes. */
  photoMaxBytes: defineSetting('experts.photoMaxBytes', z.number().int().min(10_000).max(10_000_000), 2_000_000),
}

export type ExpertSettings = { [K in keyof typeof EXPERT_SETTINGS]: (typeof EXPERT_SETTINGS)[K]['fallback'] }

export function readExpertSettings(db: Executor): Promise<ExpertSettings> {
  return readSettings(db, EXPERT_SETTINGS)
}

/**
 * The same values for a page that only shows them (the detail page's term badge, age warning and
 * photo hint), cached per process for a few seconds. Checks that enforce a value (admission,
 * renewal, photo uploads) call `readExpertSettings`.
 */
export const readExpertSettingsForDisplay = cachedSettingsReader(EXPERT_SETTINGS)
