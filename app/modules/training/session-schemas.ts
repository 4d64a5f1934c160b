/** Forms of offline training: a session (培训班) and one attendance. */
import { fields, z } from '#app/lib/validation.ts'
import type { OrganiserLevel, TrainingFormat, TrainingKind } from '#db/schema.ts'

export const SESSION_KINDS = ['pre_service', 'topic', 'annual', 'promotion'] as const satisfies readonly TrainingKind[]
export const SESSION_FORMATS = ['classroom', 'meeting', 'hearing', 'online', 'visit'] as const satisfies readonly TrainingFormat[]
export const ORGANISER_LEVELS = ['province', 'city', 'district', 'township'] as const satisfies readonly OrganiserLevel[]

const sessionFields = {
  title: fields.text(200),
  kind: z.enum(SESSION_KINDS),
  format: z.enum(SESSION_FORMATS),
  organiser: fields.text(200),
  organiserLevel: z.enum(ORGANISER_LEVELS),
  startDate: fields.calendarDate(),
  endDate: fields.calendarDate(),
  hours: z.coerce.number().positive().max(200).multipleOf(0.5),
  trainer: fields.optionalText(200),
  location: fields.optionalText(200),
}

const datesInOrder = (v: { startDate: string; endDate: string }) => v.endDate >= v.startDate
const endBeforeStart = { message: 'training.session.endBeforeStart', path: ['endDate'] }

export const sessionSchema = z.object({ ...sessionFields, regionCode: z.string().regex(/^\d{6,12}$/) }).refine(datesInOrder, endBeforeStart)

/** Editing keeps the session's region (and so who may see it); everything else may be corrected. */
export const sessionEditSchema = z
  .object({ ...sessionFields, intent: z.literal('save'), version: fields.version() })
  .refine(datesInOrder, endBeforeStart)

export type SessionEditInput = z.infer<typeof sessionEditSchema>

export type SessionInput = z.infer<typeof sessionSchema>

export const attendanceSchema = z.object({
  intent: z.literal('attend'),
  cardNumber: fields.text(32),
  assessment: fields.optionalText(100),
})

const hours = () => z.coerce.number().min(0).max(500).multipleOf(0.5)

const planRequirements = {
  fullTimeHours: hours(),
  partTimeHours: hours(),
  sectorHours: hours(),
  preServiceMonths: z.coerce.number().int().min(1).max(36),
}

export const planSchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100),
  regionCode: z.string().regex(/^\d{6,12}$/),
  ...planRequirements,
})

/** A plan's year and scope are its identity (one per scope and year); its requirements may change. */
export const planEditSchema = z.object({ ...planRequirements, intent: z.literal('save'), version: fields.version() })

export type PlanEditInput = z.infer<typeof planEditSchema>

export const revokeSchema = z.object({ intent: z.literal('revoke'), reason: fields.text(500) })
