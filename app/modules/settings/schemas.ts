import type { SettingDefinition } from '#app/lib/settings.server.ts'
import { z } from '#app/lib/validation.ts'

/** The form of one setting: its value is checked by the setting's own schema. */
export function settingFormSchema(definition: SettingDefinition<unknown>) {
  return z.object({
    key: z.literal(definition.key),
    /** The row's version when the form was loaded; 0 when nothing was stored yet. */
    version: z.coerce.number().int().min(0),
    value: definition.schema,
  })
}

/** Which setting a submission is for, read before the setting's own schema is known. */
export const settingKeySchema = z.object({ key: z.string().max(64) })
