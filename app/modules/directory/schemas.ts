/** Forms of the public directory: an organisation's public information and a mediator's choices. */
import { fields, z } from '#app/lib/validation.ts'

/** A checkbox posts "on" when ticked and nothing otherwise. */
const checkbox = () =>
  z
    .string()
    .optional()
    .transform((v) => v === 'on')

const disputeTypeCode = z.string().trim().min(1).max(32)

export const orgPublicInfoSchema = z.object({
  services: fields.optionalText(500),
  openingHours: fields.optionalText(200),
  /** Dispute types the organisation takes; checked against the active types on the server. */
  disputeTypes: z
    .preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(disputeTypeCode).max(40))
    .transform((list) => [...new Set(list)]),
  version: fields.version(),
})
export type OrgPublicInfoInput = z.infer<typeof orgPublicInfoSchema>

export const mediatorPreferencesSchema = z.object({
  hideOrg: checkbox(),
  hideValidUntil: checkbox(),
  /** The preference row's version when the form was loaded; 0 when none was stored yet. */
  version: z.coerce.number().int().min(0),
})
export type MediatorPreferencesInput = z.infer<typeof mediatorPreferencesSchema>
