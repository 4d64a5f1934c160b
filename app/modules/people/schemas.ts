import { isId } from '#app/lib/ids.ts'
import { fields, z } from '#app/lib/validation.ts'
import { contradictions } from './identity.ts'
import { EMPLOYMENTS, GENDERS, MEDIATOR_STATUSES } from './labels.ts'

/**
 * The fields a user may set. Region follows the chosen organisation; status only on edit; the
 * version is compared, never written from the form.
 */
const personFields = {
  name: fields.text(64),
  gender: z.enum(GENDERS).optional(),
  birthDate: fields.calendarDate().optional(),
  phone: fields.phone().optional(),
  orgId: z.string().refine(isId, 'validation.choice'),
  employment: z.enum(EMPLOYMENTS),
  cardNumber: z
    .string()
    .trim()
    .max(32)
    .transform((v) => v.toUpperCase())
    .optional(),
  startedOn: fields.calendarDate().optional(),
}

const MISMATCH = { birthDate: 'people.error.birthDateMismatch', gender: 'people.error.genderMismatch' } as const

function consistentWithIdNumber(value: { idNumber?: string; gender?: 'male' | 'female'; birthDate?: string }, ctx: z.RefinementCtx) {
  for (const field of contradictions(value.idNumber, value)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message: MISMATCH[field] })
  }
}

export const personCreateSchema = z.object({ ...personFields, idNumber: fields.idNumber() }).superRefine(consistentWithIdNumber)

/** On edit the ID and phone fields start empty: blank keeps the stored number. */
export const personEditSchema = z
  .object({
    ...personFields,
    idNumber: fields.idNumber().optional(),
    status: z.enum(MEDIATOR_STATUSES),
    version: fields.version(),
  })
  .superRefine(consistentWithIdNumber)

export const revealSchema = z.object({
  intent: z.literal('reveal'),
  field: z.enum(['idNumber', 'phone']),
})

export type PersonCreateInput = z.infer<typeof personCreateSchema>
export type PersonEditInput = z.infer<typeof personEditSchema>
export type RevealField = z.infer<typeof revealSchema>['field']
