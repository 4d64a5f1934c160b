/** The public directory's configurable defaults (stored in `settings` under `directory.*`). */
import type { Executor } from '#app/lib/db.server.ts'
import { messageRef } from '#app/lib/i18n.ts'
import { defineSetting, readSettings } from '#app/lib/settings.server.ts'
import { z } from '#app/lib/validation.ts'
import { DEFAULT_EXPERT_FIELDS, EXPERT_PUBLIC_FIELDS, type ExpertPublicFields, expertFieldSet, parseExpertFieldList } from './model.ts'

/** A comma-separated list of expert field names, stored in canonical order. */
const expertFieldsSchema = z
  .string()
  .max(200)
  .superRefine((value, ctx) => {
    const parsed = parseExpertFieldList(value)
    if (!parsed.ok) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: messageRef('directory.settings.expertFields.unknown', {
          names: parsed.unknown.join(', '),
          allowed: EXPERT_PUBLIC_FIELDS.join(', '),
        }),
      })
    }
  })
  .transform((value) => {
    const parsed = parseExpertFieldList(value)
    return parsed.ok ? parsed.fields.join(',') : value
  })

export const DIRECTORY_SETTINGS = {
  /** Which expert fields the public directory shows (name, tier, domains, employer, title, region). */
  expertFields: defineSetting('directory.expertFields', expertFieldsSchema, DEFAULT_EXPERT_FIELDS),
}

/** The expert fields this deployment publishes. */
export async function readExpertPublicFields(db: Executor): Promise<ExpertPublicFields> {
  const { expertFields } = await readSettings(db, DIRECTORY_SETTINGS)
  return expertFieldSet(expertFields)
}
