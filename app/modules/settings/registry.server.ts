/**
 * Every configurable setting, in one place, for the administration page (/admin/settings). Each
 * area keeps declaring and reading its own settings (`defineSetting` in its module); this registry
 * only imports those declarations and adds what the page needs: the area, labels and the kind of
 * input. A setting declared elsewhere and not listed here does not appear on the page, so a new
 * `defineSetting(` belongs here too (settings.db.test.ts checks the keys against the sources).
 */
import type { MessageKey } from '#app/lib/i18n.ts'
import type { SettingDefinition } from '#app/lib/settings.server.ts'
import '#app/lib/validation.ts' // installs the error map: every schema error is a message key
import { EXPERT_SETTINGS } from '#app/modules/experts/settings.server.ts'
import { INDEX_VERSION } from '#app/modules/library/index.server.ts'
import { TRAINING_SETTINGS } from '#app/modules/training/settings.server.ts'

export const SETTING_AREAS = ['experts', 'training', 'library'] as const
export type SettingArea = (typeof SETTING_AREAS)[number]

export interface RegisteredSetting {
  area: SettingArea
  definition: SettingDefinition<unknown>
  /** How the form asks for the value: numbers are coerced from the text field before the schema runs. */
  input: 'integer' | 'decimal' | 'text'
  /** False for values the application maintains itself (shown, never edited here). */
  editable: boolean
  label: MessageKey
  help: MessageKey
}

function entry(
  area: SettingArea,
  definition: SettingDefinition<unknown>,
  input: RegisteredSetting['input'],
  label: MessageKey,
  help: MessageKey,
  editable = true,
): RegisteredSetting {
  return { area, definition, input, editable, label, help }
}

export const SETTINGS_REGISTRY: readonly RegisteredSetting[] = [
  entry('experts', EXPERT_SETTINGS.ageLimit, 'integer', 'settings.experts.ageLimit', 'settings.experts.ageLimit.help'),
  entry(
    'experts',
    EXPERT_SETTINGS.renewalWindowDays,
    'integer',
    'settings.experts.renewalWindowDays',
    'settings.experts.renewalWindowDays.help',
  ),
  entry(
    'experts',
    EXPERT_SETTINGS.defaultTermYears,
    'integer',
    'settings.experts.defaultTermYears',
    'settings.experts.defaultTermYears.help',
  ),
  entry(
    'experts',
    EXPERT_SETTINGS.defaultMaxConcurrentCases,
    'integer',
    'settings.experts.defaultMaxConcurrentCases',
    'settings.experts.defaultMaxConcurrentCases.help',
  ),
  entry('experts', EXPERT_SETTINGS.photoMaxBytes, 'integer', 'settings.experts.photoMaxBytes', 'settings.experts.photoMaxBytes.help'),
  entry('training', TRAINING_SETTINGS.readingFactor, 'decimal', 'settings.training.readingFactor', 'settings.training.readingFactor.help'),
  // The search index's version stamp changes on every publication; editing it by hand would only
  // force a rebuild, so it is listed for completeness and never edited here.
  entry('library', INDEX_VERSION, 'text', 'settings.library.indexVersion', 'settings.library.indexVersion.help', false),
]

export function registeredSetting(key: string): RegisteredSetting | undefined {
  return SETTINGS_REGISTRY.find((s) => s.definition.key === key)
}
