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
import { AUDIT_SETTINGS } from '#app/modules/audit/settings.server.ts'
import { DASHBOARD_SETTINGS } from '#app/modules/dashboard/settings.server.ts'
import { EXPERT_SETTINGS } from '#app/modules/experts/settings.server.ts'
import { INDEX_VERSION } from '#app/modules/library/index.server.ts'
import { TRAINING_SETTINGS } from '#app/modules/training/settings.server.ts'
import { GRADING_SETTINGS } from '#app/modules/grading/settings.server.ts'
import { EXPERT_LOADS_VERSION, EXPERT_POOL_VERSION } from '#app/modules/cases/pool-version.server.ts'
import { TWO_FACTOR_SETTINGS } from '#app/modules/auth/two-factor-settings.server.ts'
import { WEBHOOK_SETTINGS } from '#app/modules/webhooks/settings.server.ts'
import { DIRECTORY_SETTINGS } from '#app/modules/directory/settings.server.ts'
import { RETENTION_SETTINGS } from '#app/modules/retention/settings.server.ts'

export const SETTING_AREAS = [
  'experts',
  'training',
  'library',
  'dashboard',
  'audit',
  'grading',
  'twoFactor',
  'webhooks',
  'directory',
  'retention',
] as const
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
  // The cached expert pool's stamps (app/modules/cases/pool-version.server.ts) change with every
  // expert or load change; like the library's stamp they are shown, never edited.
  entry('experts', EXPERT_POOL_VERSION, 'text', 'settings.experts.poolVersion', 'settings.experts.poolVersion.help', false),
  entry('experts', EXPERT_LOADS_VERSION, 'text', 'settings.experts.loadsVersion', 'settings.experts.loadsVersion.help', false),
  entry('training', TRAINING_SETTINGS.readingFactor, 'decimal', 'settings.training.readingFactor', 'settings.training.readingFactor.help'),
  // The search index's version stamp changes on every publication; editing it by hand would only
  // force a rebuild, so it is listed for completeness and never edited here.
  entry('library', INDEX_VERSION, 'text', 'settings.library.indexVersion', 'settings.library.indexVersion.help', false),
  entry(
    'grading',
    GRADING_SETTINGS.attachmentMaxBytes,
    'integer',
    'settings.grading.attachmentMaxBytes',
    'settings.grading.attachmentMaxBytes.help',
  ),
  entry(
    'dashboard',
    DASHBOARD_SETTINGS.staleInvitationDays,
    'integer',
    'settings.dashboard.staleInvitationDays',
    'settings.dashboard.staleInvitationDays.help',
  ),
  entry(
    'dashboard',
    DASHBOARD_SETTINGS.gradeExpiryDays,
    'integer',
    'settings.dashboard.gradeExpiryDays',
    'settings.dashboard.gradeExpiryDays.help',
  ),
  entry('audit', AUDIT_SETTINGS.retentionDays, 'integer', 'settings.audit.retentionDays', 'settings.audit.retentionDays.help'),
  // Maintained by the archive job (npm run audit:archive): shown, never edited by hand.
  entry('audit', AUDIT_SETTINGS.archivedThrough, 'text', 'settings.audit.archivedThrough', 'settings.audit.archivedThrough.help', false),
  entry(
    'twoFactor',
    TWO_FACTOR_SETTINGS.requiredRoles,
    'text',
    'settings.twoFactor.requiredRoles',
    'settings.twoFactor.requiredRoles.help',
  ),
  entry(
    'twoFactor',
    TWO_FACTOR_SETTINGS.reauthMinutes,
    'integer',
    'settings.twoFactor.reauthMinutes',
    'settings.twoFactor.reauthMinutes.help',
  ),
  entry('webhooks', WEBHOOK_SETTINGS.maxAttempts, 'integer', 'settings.webhooks.maxAttempts', 'settings.webhooks.maxAttempts.help'),
  entry(
    'webhooks',
    WEBHOOK_SETTINGS.baseDelaySeconds,
    'integer',
    'settings.webhooks.baseDelaySeconds',
    'settings.webhooks.baseDelaySeconds.help',
  ),
  entry(
    'webhooks',
    WEBHOOK_SETTINGS.maxDelaySeconds,
    'integer',
    'settings.webhooks.maxDelaySeconds',
    'settings.webhooks.maxDelaySeconds.help',
  ),
  entry(
    'webhooks',
    WEBHOOK_SETTINGS.timeoutSeconds,
    'integer',
    'settings.webhooks.timeoutSeconds',
    'settings.webhooks.timeoutSeconds.help',
  ),
  entry('directory', DIRECTORY_SETTINGS.expertFields, 'text', 'directory.settings.expertFields', 'directory.settings.expertFields.help'),
  entry(
    'retention',
    RETENTION_SETTINGS.partyDataMonths,
    'integer',
    'retention.settings.partyDataMonths',
    'retention.settings.partyDataMonths.help',
  ),
]

export function registeredSetting(key: string): RegisteredSetting | undefined {
  return SETTINGS_REGISTRY.find((s) => s.definition.key === key)
}
