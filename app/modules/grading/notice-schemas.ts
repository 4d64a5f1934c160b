/** Forms of the public notice, objections and grade changes (one schema per form). */
import { ID_PATTERN } from '#app/lib/ids.ts'
import { fields, z } from '#app/lib/validation.ts'
import { contactKind } from './notice.ts'

/** The public objection form. `applicationId` empty means an objection against the round as a whole. */
export const objectionSchema = z.object({
  filerName: fields.text(60),
  contact: z
    .string()
    .trim()
    .min(1)
    .max(254)
    .refine((v) => contactKind(v) !== null, 'gradingNotice.object.contactInvalid'),
  applicationId: z.string().regex(ID_PATTERN).optional(),
  grounds: z.string().trim().min(10).max(4000),
  submissionKey: z.string().regex(ID_PATTERN),
})

/** The association's decision on an objection. */
export const objectionDecisionSchema = z.object({
  decision: z.enum(['upheld', 'dismissed']),
  investigation: fields.text(4000),
  response: fields.text(4000),
  /** Why the result changes (required when an upheld objection changes a result; checked by the server). */
  outcomeReason: fields.optionalText(500),
  /** For an objection against the round as a whole: the result it turned out to concern, if any. */
  applicationId: z.string().regex(ID_PATTERN).optional(),
  version: fields.version(),
})

/** Demotion (to a lower grade of the ladder) or revocation, with its own notice period. */
export const gradeChangeSchema = z
  .object({
    kind: z.enum(['demote', 'revoke']),
    toGradeCode: z.string().trim().max(16).optional(),
    reason: fields.text(1000),
    /** The notice runs config.noticeWorkingDays working days from here (rounds.ts noticeEndDate). */
    noticeStartOn: fields.calendarDate(),
    version: fields.version(),
  })
  .superRefine((value, ctx) => {
    if (value.kind === 'demote' && !value.toGradeCode) {
      ctx.addIssue({ code: 'custom', path: ['toGradeCode'], message: 'validation.required' })
    }
  })
