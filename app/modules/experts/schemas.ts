/**
 * Every form of the expert pool, one schema each (allow-listed fields only: tier, status, region
 * and version changes come from their own forms and from the session, never from a profile form).
 *
 * `expertRecordSchema(refs)` is the one definition of a valid expert record. The admission form
 * uses it, and so will the spreadsheet importer (issue 3, item 9): `validateExpertRecord` checks a
 * row of plain strings with the same rules and returns per-field message references.
 */
import { parseWithZod } from '@conform-to/zod'
import { ID_PATTERN } from '#app/lib/ids.ts'
import { messageRef } from '#app/lib/i18n.ts'
import { birthDateFromIdNumber, genderFromIdNumber, normaliseIdNumber } from '#app/lib/personal-numbers.ts'
import { fields, z } from '#app/lib/validation.ts'
import { CONTACT_PREFERENCES, PROFESSIONS, type RegionRef, STATUSES, TIERS, splitList, tierFitsRegion } from './model.ts'

/** Reference data the rules need: the dispute types in use and the regions a record may name. */
export interface ExpertRefs {
  disputeTypes: readonly string[]
  /** Regions by code (at least those the form offers); a code not here is refused. */
  regions: ReadonlyMap<string, RegionRef>
}

export const LIMITS = {
  name: 64,
  employer: 128,
  title: 64,
  bio: 500,
  languages: 200,
  language: 20,
  languageCount: 10,
  contactNote: 200,
  reason: 500,
  recommendationReason: 1000,
  note: 500,
  conflictName: 128,
  professions: 6,
  primaryDomains: 3,
  secondaryDomains: 6,
  specialties: 6,
  maxConcurrentCases: 20,
  unavailableDays: 366,
} as const

const id = () => z.string().trim().regex(ID_PATTERN)
const regionCode = () =>
  z
    .string()
    .trim()
    .regex(/^\d{6,12}$/)

/**
 * A multi-valued field of known codes. Unknown codes are reported on the field itself (not on an
 * item), so a checkbox group and an import report show the message where the reader looks.
 */
function codeList<T extends string>(codes: readonly T[], min: number, max: number) {
  return z
    .array(z.string())
    .superRefine((list, ctx) => {
      if (list.some((value) => !(codes as readonly string[]).includes(value)))
        ctx.addIssue({ code: 'custom', message: 'validation.choice' })
    })
    .transform((list) => [...new Set(list)] as T[])
    .superRefine((list, ctx) => {
      if (list.length < min) ctx.addIssue({ code: 'custom', message: 'experts.validation.atLeastOne' })
      if (list.length > max) ctx.addIssue({ code: 'custom', message: messageRef('experts.validation.tooMany', { max }) })
    })
}

/** Languages typed as one line: `普通话、粤语`. */
const languagesField = () =>
  z
    .string()
    .trim()
    .max(LIMITS.languages)
    .optional()
    .transform((text) => splitList(text))
    .superRefine((list, ctx) => {
      if (list.length > LIMITS.languageCount) {
        ctx.addIssue({ code: 'custom', message: messageRef('experts.validation.tooMany', { max: LIMITS.languageCount }) })
      }
      if (list.some((item) => item.length > LIMITS.language)) {
        ctx.addIssue({ code: 'custom', message: messageRef('experts.validation.languageLength', { max: LIMITS.language }) })
      }
    })

/** Profile fields that both admission and editing accept. */
function profileShape(refs: ExpertRefs) {
  return {
    name: fields.text(LIMITS.name),
    gender: z.enum(['male', 'female']),
    birthDate: fields.calendarDate(),
    employer: fields.text(LIMITS.employer),
    employerOrgId: id().optional(),
    appointingOrgId: id().optional(),
    title: fields.optionalText(LIMITS.title),
    professions: codeList(PROFESSIONS, 1, LIMITS.professions),
    primaryDomains: codeList(refs.disputeTypes, 1, LIMITS.primaryDomains),
    secondaryDomains: codeList(refs.disputeTypes, 0, LIMITS.secondaryDomains),
    specialties: codeList(refs.disputeTypes, 0, LIMITS.specialties),
    languages: languagesField(),
    bio: fields.optionalText(LIMITS.bio),
    maxConcurrentCases: z.coerce.number().int('validation.integer').min(1).max(LIMITS.maxConcurrentCases),
    contactPreference: z.enum(CONTACT_PREFERENCES),
    contactNote: fields.optionalText(LIMITS.contactNote),
  }
}

interface ProfileChecks {
  primaryDomains: string[]
  secondaryDomains: string[]
  birthDate: string
  gender: 'male' | 'female'
  idNumber?: string
}

function checkProfile(value: ProfileChecks, ctx: z.RefinementCtx): void {
  const overlap = value.secondaryDomains.filter((code) => value.primaryDomains.includes(code))
  if (overlap.length) ctx.addIssue({ code: 'custom', path: ['secondaryDomains'], message: 'experts.validation.domainOverlap' })
  if (value.idNumber) {
    const id = normaliseIdNumber(value.idNumber)
    if (birthDateFromIdNumber(id) !== value.birthDate) {
      ctx.addIssue({ code: 'custom', path: ['birthDate'], message: 'experts.validation.birthDateMismatch' })
    }
    if (genderFromIdNumber(id) !== value.gender) {
      ctx.addIssue({ code: 'custom', path: ['gender'], message: 'experts.validation.genderMismatch' })
    }
  }
}

function recordShape(refs: ExpertRefs) {
  return {
    ...profileShape(refs),
    idNumber: fields.idNumber(),
    phone: fields.phone(),
    tier: z.enum(TIERS),
    regionCode: regionCode().optional(),
    termStart: fields.calendarDate(),
    termEnd: fields.calendarDate(),
  }
}

interface RecordChecks extends ProfileChecks {
  tier: (typeof TIERS)[number]
  regionCode?: string
  termStart: string
  termEnd: string
}

function checkRecord(refs: ExpertRefs) {
  return (value: RecordChecks, ctx: z.RefinementCtx) => {
    checkProfile(value, ctx)
    if (value.termEnd <= value.termStart) ctx.addIssue({ code: 'custom', path: ['termEnd'], message: 'experts.term.endBeforeStart' })
    // National experts keep a region for the person record (where they are based), but their tier
    // binds them to no region.
    if (!value.regionCode) {
      ctx.addIssue({ code: 'custom', path: ['regionCode'], message: 'experts.validation.regionRequired' })
      return
    }
    const region = refs.regions.get(value.regionCode)
    if (!region) {
      ctx.addIssue({ code: 'custom', path: ['regionCode'], message: 'validation.choice' })
      return
    }
    if (value.tier !== 'national' && !tierFitsRegion(value.tier, region)) {
      ctx.addIssue({ code: 'custom', path: ['tier'], message: 'experts.validation.regionTier' })
    }
  }
}

/** A complete, valid expert record: what admission and import accept. */
export function expertRecordSchema(refs: ExpertRefs) {
  return z.object(recordShape(refs)).superRefine(checkRecord(refs))
}

export type ExpertRecord = z.infer<ReturnType<typeof expertRecordSchema>>

/** Admission (录入): the record, plus the acknowledgement of an age-limit warning. */
export function admitExpertSchema(refs: ExpertRefs) {
  return z.object({ ...recordShape(refs), confirmAge: z.boolean().optional() }).superRefine(checkRecord(refs))
}

export type AdmitExpertInput = z.infer<ReturnType<typeof admitExpertSchema>>

/**
 * Editing the profile. Tier and region change only through a recommendation, status through a
 * status change, terms through a renewal; the ID and phone are replaced only when typed again.
 */
export function editExpertSchema(refs: ExpertRefs) {
  return z
    .object({ ...profileShape(refs), idNumber: fields.idNumber().optional(), phone: fields.phone().optional(), version: fields.version() })
    .superRefine(checkProfile)
}

export type EditExpertInput = z.infer<ReturnType<typeof editExpertSchema>>

export type RecordField = keyof ReturnType<typeof recordShape>

/**
 * Validates one record given as plain strings (a spreadsheet row, say) with the admission rules.
 * List fields accept several values or one string separated by commas or 、.
 */
export function validateExpertRecord(
  row: Partial<Record<RecordField, string | readonly string[]>>,
  refs: ExpertRefs,
): { ok: true; value: ExpertRecord } | { ok: false; errors: Partial<Record<RecordField | '', string[]>> } {
  const formData = new FormData()
  const lists: RecordField[] = ['professions', 'primaryDomains', 'secondaryDomains', 'specialties']
  for (const [field, raw] of Object.entries(row) as [RecordField, string | readonly string[]][]) {
    const values = typeof raw === 'string' && lists.includes(field) ? splitList(raw) : typeof raw === 'string' ? [raw] : raw
    for (const value of values) formData.append(field, value)
  }
  const submission = parseWithZod(formData, { schema: expertRecordSchema(refs) })
  if (submission.status === 'success') return { ok: true, value: submission.value }
  return { ok: false, errors: (submission.error ?? {}) as Partial<Record<RecordField | '', string[]>> }
}

// ---------------------------------------------------------------------------------------------
// Status, terms, recommendations

export const statusChangeSchema = z.object({
  status: z.enum(STATUSES),
  reason: z
    .string()
    .trim()
    .min(2, messageRef('validation.tooShort', { min: 2 }))
    .max(LIMITS.reason),
  version: fields.version(),
})

export const renewTermSchema = z
  .object({
    termStart: fields.calendarDate(),
    termEnd: fields.calendarDate(),
    note: fields.optionalText(LIMITS.note),
    confirmAge: z.boolean().optional(),
    version: fields.version(),
  })
  .refine((v) => v.termEnd > v.termStart, { path: ['termEnd'], message: 'experts.term.endBeforeStart' })

export const recommendSchema = z.object({
  reason: z
    .string()
    .trim()
    .min(2, messageRef('validation.tooShort', { min: 2 }))
    .max(LIMITS.recommendationReason),
})

export const decideRecommendationSchema = z
  .object({
    intent: z.enum(['accept', 'decline']),
    recommendationId: id(),
    reason: fields.optionalText(LIMITS.recommendationReason),
    version: fields.version(),
  })
  .refine((v) => v.intent === 'accept' || !!v.reason, { path: ['reason'], message: 'experts.recommend.declineReason' })

// ---------------------------------------------------------------------------------------------
// Availability, contact preference, conflicts: staff and the expert themself

export const addUnavailabilitySchema = z
  .object({
    intent: z.literal('unavailability.add'),
    startDate: fields.calendarDate(),
    endDate: fields.calendarDate(),
    reason: fields.optionalText(200),
  })
  .refine((v) => v.endDate >= v.startDate, { path: ['endDate'], message: 'experts.term.endBeforeStart' })
  .refine((v) => Date.parse(v.endDate) - Date.parse(v.startDate) <= (LIMITS.unavailableDays - 1) * 86_400_000, {
    path: ['endDate'],
    message: messageRef('experts.unavailability.tooLong', { days: LIMITS.unavailableDays }),
  })

export const removeUnavailabilitySchema = z.object({ intent: z.literal('unavailability.remove'), periodId: id() })

export const contactPreferenceSchema = z.object({
  intent: z.literal('contact'),
  contactPreference: z.enum(CONTACT_PREFERENCES),
  contactNote: fields.optionalText(LIMITS.contactNote),
  version: fields.version(),
})

export const addConflictSchema = z
  .object({
    intent: z.literal('conflict.add'),
    kind: z.enum(['organisation', 'person']),
    name: fields.text(LIMITS.conflictName),
    idNumber: fields.idNumber().optional(),
    note: fields.optionalText(LIMITS.note),
    startDate: fields.calendarDate().optional(),
    endDate: fields.calendarDate().optional(),
  })
  .refine((v) => !v.idNumber || v.kind === 'person', { path: ['idNumber'], message: 'experts.conflict.idForPersonOnly' })
  .refine((v) => !v.startDate || !v.endDate || v.endDate >= v.startDate, { path: ['endDate'], message: 'experts.term.endBeforeStart' })

export const endConflictSchema = z.object({ intent: z.literal('conflict.end'), conflictId: id() })

export const revealSchema = z.object({ intent: z.literal('reveal'), field: z.enum(['idNumber', 'phone']) })
