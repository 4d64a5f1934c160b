/**
 * zod with Tiaojie's error messages: every validation error is a message reference
 * (see translateRef in i18n.ts), so the server never needs to know the reader's language.
 * Schemas import `z` from here, not from 'zod', so the error map is always installed.
 */
import { z } from 'zod'
import { isValidPhone, idNumberProblem, normaliseIdNumber, normalisePhone } from './personal-numbers.ts'
import { messageRef } from './i18n.ts'
import { isCalendarDate } from './time.ts'

z.setErrorMap((issue, ctx) => {
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type:
      if (issue.received === 'undefined' || issue.received === 'null') return { message: 'validation.required' }
      if (issue.expected === 'number') return { message: 'validation.number' }
      return { message: 'validation.invalid' }
    case z.ZodIssueCode.too_small:
      if (issue.type === 'string') {
        return { message: issue.minimum === 1 ? 'validation.required' : messageRef('validation.tooShort', { min: Number(issue.minimum) }) }
      }
      if (issue.type === 'number') return { message: messageRef('validation.min', { min: Number(issue.minimum) }) }
      return { message: 'validation.required' }
    case z.ZodIssueCode.too_big:
      if (issue.type === 'string') return { message: messageRef('validation.tooLong', { max: Number(issue.maximum) }) }
      if (issue.type === 'number') return { message: messageRef('validation.max', { max: Number(issue.maximum) }) }
      return { message: 'validation.invalid' }
    case z.ZodIssueCode.invalid_enum_value:
      return { message: 'validation.choice' }
    default:
      return { message: ctx.defaultError && issue.message ? issue.message : 'validation.invalid' }
  }
})

/** Field types shared by every form. */
export const fields = {
  text: (max: number) => z.string().trim().min(1).max(max),
  optionalText: (max: number) => z.string().trim().max(max).optional(),
  calendarDate: () => z.string().refine(isCalendarDate, 'validation.date'),
  idNumber: () =>
    z
      .string()
      .transform(normaliseIdNumber)
      .superRefine((value, ctx) => {
        const problem = idNumberProblem(value)
        if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `validation.idNumber.${problem}` })
      }),
  phone: () => z.string().refine(isValidPhone, 'validation.phone').transform(normalisePhone),
  /** The version the form was loaded with, for optimistic concurrency. */
  version: () => z.coerce.number().int().positive(),
}

export { z }
