/**
 * Zod issues → the API's machine-readable field errors. Pure, so every mapping is unit-tested;
 * the English message comes from the same message references the forms use.
 */
import type { ZodIssue } from 'zod'
import { translateRef } from '#app/lib/i18n.ts'

export type FieldErrorCode = 'required' | 'unknown_field' | 'wrong_type' | 'too_big' | 'too_small' | 'invalid_choice' | 'invalid'

export interface FieldError {
  field: string
  code: FieldErrorCode
  message: string
}

function codeOf(issue: ZodIssue): FieldErrorCode {
  switch (issue.code) {
    case 'invalid_type':
      return issue.received === 'undefined' ? 'required' : 'wrong_type'
    case 'too_big':
      return 'too_big'
    case 'too_small':
      return 'too_small'
    case 'invalid_enum_value':
    case 'invalid_literal':
      return 'invalid_choice'
    default:
      return 'invalid'
  }
}

const join = (path: (string | number)[]) => path.map(String).join('.')

/** One error per offending field; an unknown key is reported at its own path. */
export function fieldErrors(issues: readonly ZodIssue[], rename: (field: string) => string = (f) => f): FieldError[] {
  const out: FieldError[] = []
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ field: rename(join([...issue.path, key])), code: 'unknown_field', message: 'Unknown field' })
      }
      continue
    }
    out.push({ field: rename(join(issue.path)), code: codeOf(issue), message: translateRef('en', issue.message) })
  }
  // One entry per field and code: zod can report the same problem twice through refinements.
  const seen = new Set<string>()
  return out.filter((e) => {
    const key = `${e.field}\u0000${e.code}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
