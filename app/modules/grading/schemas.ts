/** The grading forms (G1: rounds, applications, pre-review, case statistics, rules). */
import { fields, z } from '#app/lib/validation.ts'

export const roundSchema = z
  .object({
    associationOrgId: z.string().min(1),
    title: fields.text(100),
    gradeCodes: z.array(z.string().min(1).max(16)).min(1, 'grading.round.gradesRequired'),
    opensOn: fields.calendarDate(),
    closesOn: fields.calendarDate(),
    committee: fields.optionalText(2000),
  })
  .refine((v) => v.closesOn >= v.opensOn, { path: ['closesOn'], message: 'grading.round.windowOrder' })

/** "姓名|单位|身份" per line → [{ name, affiliation, kind }]. */
export function parseCommittee(text: string | undefined): { name: string; affiliation: string; kind: string }[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.split('|').map((p) => p.trim()))
    .filter((parts) => parts[0])
    .slice(0, 50)
    .map(([name = '', affiliation = '', kind = '']) => ({
      name: name.slice(0, 40),
      affiliation: affiliation.slice(0, 100),
      kind: kind.slice(0, 40),
    }))
}

export const transitionSchema = z.object({
  to: z.enum(['open', 'eligibility', 'scoring', 'notice', 'resolved', 'finalised', 'cancelled']),
  version: fields.version(),
  note: fields.optionalText(500),
  noticeStartOn: fields.calendarDate().optional(),
  /** The confirmation step: the first post shows the question, the second (confirmed=yes) acts. */
  confirmed: z.literal('yes').optional(),
})

export const applySchema = z.object({
  personId: z.string().min(1),
  gradeCode: z.string().min(1).max(16),
  noCriminalConversion: z.literal('on', { errorMap: () => ({ message: 'grading.application.declarationsRequired' }) }),
  noMisconduct: z.literal('on', { errorMap: () => ({ message: 'grading.application.declarationsRequired' }) }),
})

export const overrideSchema = z.object({
  intent: z.literal('override'),
  verdict: z.enum(['eligible', 'ineligible']),
  reason: fields.text(1000),
  version: fields.version(),
})

export const withdrawSchema = z.object({ intent: z.literal('withdraw'), version: fields.version() })

const count = () => z.number().int().min(0).max(100000)

export const caseStatsSchema = z.object({
  intent: z.literal('save'),
  personId: z.string().min(1),
  year: z.number().int().min(2000).max(2100),
  disputes: count(),
  successful: count(),
  oral: count(),
  version: z.number().int().positive().optional(),
})

export const confirmStatsSchema = z.object({ intent: z.literal('confirm'), statsId: z.string().min(1), version: fields.version() })

// The rules form: lenient per field (blank rows allowed, numbers coerced by conform); the built
// config is then checked by gradingConfigSchema and its errors mapped back to these field names.
const optionalNumber = () => z.number().optional()
const flag = () => z.boolean().optional()

export const rulesFormSchema = z.object({
  associationOrgId: z.string().min(1),
  baseVersion: z.number().int().min(0),
  note: fields.optionalText(200),
  ladderName: z.string().trim().max(40).optional(),
  statsYears: optionalNumber(),
  validityYears: optionalNumber(),
  reviewersPerApplication: optionalNumber(),
  trimmedMeanFrom: optionalNumber(),
  discrepancyOverall: optionalNumber(),
  discrepancyCriterion: optionalNumber(),
  passScore: optionalNumber(),
  noticeWorkingDays: optionalNumber(),
  expiryWarningDays: optionalNumber(),
  grades: z
    .array(
      z.object({
        code: z.string().trim().max(16).optional(),
        name: z.string().trim().max(40).optional(),
        rank: optionalNumber(),
        action: z.enum(['rate', 'recommend']).optional(),
        remove: flag(),
        noCriminalConversion: flag(),
        noMisconduct: flag(),
        requiredTraining: flag(),
        minYearsOfWork: optionalNumber(),
        minDisputes: optionalNumber(),
        maxOralSharePercent: optionalNumber(),
        minSuccessPercent: optionalNumber(),
        minTrainingHours: optionalNumber(),
        trainingYears: optionalNumber(),
        minDrillsPassed: optionalNumber(),
        minAcceptedCases: optionalNumber(),
        holdLowerGradeYears: optionalNumber(),
      }),
    )
    .max(11),
  rubric: z
    .array(
      z.object({
        key: z.string().trim().max(32).optional(),
        label: z.string().trim().max(60).optional(),
        weight: optionalNumber(),
        maxPoints: optionalNumber(),
        levels: z.string().max(3000).optional(),
        remove: flag(),
      }),
    )
    .max(13),
})

export type RulesForm = z.infer<typeof rulesFormSchema>

export const THRESHOLD_KEYS = [
  'minYearsOfWork',
  'minDisputes',
  'maxOralSharePercent',
  'minSuccessPercent',
  'minTrainingHours',
  'trainingYears',
  'minDrillsPassed',
  'minAcceptedCases',
  'holdLowerGradeYears',
] as const

export const GENERAL_KEYS = [
  'statsYears',
  'validityYears',
  'reviewersPerApplication',
  'trimmedMeanFrom',
  'discrepancyOverall',
  'discrepancyCriterion',
  'passScore',
  'noticeWorkingDays',
  'expiryWarningDays',
] as const
