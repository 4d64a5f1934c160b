import { fields, z } from '#app/lib/validation.ts'
import { MATCH_TIERS } from '#app/modules/matching/types.ts'
import { PROFESSIONS } from '#app/modules/experts/model.ts'
import { CASE_DIFFICULTIES, CASE_SOURCES, CONSULTATION_MODES } from './model.ts'

const partyLine = z.object({
  kind: z.enum(['person', 'organisation']),
  name: fields.text(200),
  idNumber: fields.idNumber().optional(),
})

const optionalNumber = (schema: z.ZodNumber) =>
  z.preprocess((v) => (v === '' || v === undefined || v === null ? undefined : v), z.coerce.number().pipe(schema).optional())

export const caseSchema = z
  .object({
    title: fields.text(200),
    summary: fields.text(4000),
    disputeType: fields.text(32),
    domains: z.array(z.string().max(32)).max(10).default([]),
    regionCode: fields.text(12),
    orgId: fields.text(26),
    source: z.enum(CASE_SOURCES),
    difficulty: z.enum(CASE_DIFFICULTIES),
    amountYuan: optionalNumber(z.number().min(0).max(10_000_000_000)),
    partyCount: z.coerce.number().int().min(2).max(999),
    parties: z.preprocess(
      (v) => (Array.isArray(v) ? v.filter((p) => p && typeof p === 'object' && 'name' in p && p.name) : v),
      z.array(partyLine).min(1).max(20),
    ),
    expertsNeeded: z.coerce.number().int().min(1).max(9),
    requiredProfession: z.enum(PROFESSIONS).optional(),
    minTier: z.enum(MATCH_TIERS).optional(),
    requiresOutsideRegion: z.preprocess((v) => v === 'on' || v === '1' || v === true, z.boolean()).default(false),
    consultationMode: z.enum(CONSULTATION_MODES),
    periodStart: fields.calendarDate(),
    periodEnd: fields.calendarDate(),
    deadline: fields.calendarDate(),
  })
  .superRefine((value, ctx) => {
    if (value.periodEnd < value.periodStart)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['periodEnd'], message: 'cases.form.periodOrder' })
    if (value.parties.length > value.partyCount)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['partyCount'], message: 'cases.form.partyCountLow' })
  })
export type CaseInput = z.infer<typeof caseSchema>

export const inviteSchema = z.object({
  intent: z.literal('invite'),
  expertId: fields.text(26),
  source: z.enum(['recommended', 'search', 'override']),
  reason: fields.optionalText(1000),
  mode: z.enum(CONSULTATION_MODES),
  deadline: fields.calendarDate(),
})

export const statusSchema = z.object({
  intent: z.literal('status'),
  to: z.enum(['registered', 'accepted', 'mediating', 'consulting', 'succeeded', 'failed', 'closed', 'archived']),
  note: fields.optionalText(2000),
  version: fields.version(),
})

export const rateSchema = z.object({
  intent: z.literal('rate'),
  consultationId: fields.text(26),
  rating: z.coerce.number().int().min(1).max(5),
  comment: fields.optionalText(1000),
})

export const respondSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('accept') }),
  z.object({ intent: z.literal('decline'), reason: fields.text(1000) }),
  z.object({
    intent: z.literal('opinion'),
    issues: fields.text(4000),
    analysis: fields.text(8000),
    resolution: fields.text(4000),
    legalBasis: fields.text(4000),
    hours: z.coerce.number().min(0.1).max(200),
  }),
])

export const withdrawSchema = z.object({
  intent: z.literal('withdraw'),
  consultationId: fields.text(26),
  reason: fields.text(1000),
})

/** Staff pin a conflict of interest (回避) for an expert on a case without inviting them. */
export const pinConflictSchema = z.object({
  intent: z.literal('pin'),
  expertId: fields.text(26),
  reason: fields.text(1000),
})

/** The one extension of a court-entrusted case's time limit. */
export const extendSchema = z.object({
  intent: z.literal('extend'),
  reason: fields.text(1000),
})
