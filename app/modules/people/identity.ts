/**
 * What an ID number says about its holder (GB 11643: birth date in digits 7-14, gender in the
 * 17th), used to fill blank fields and to catch contradictions; and age for display.
 */
import { birthDateFromIdNumber, genderFromIdNumber, idNumberProblem } from '#app/lib/personal-numbers.ts'
import { ageOn } from '#app/lib/time.ts'
import type { Gender } from '#db/schema.ts'

export interface Identity {
  gender?: Gender
  birthDate?: string
}

/** Blank gender and birth date taken from a valid ID number; given values are kept as they are. */
export function fillFromIdNumber(idNumber: string | undefined, given: Identity): Identity {
  if (!idNumber || idNumberProblem(idNumber) !== null) return given
  return {
    gender: given.gender ?? genderFromIdNumber(idNumber),
    birthDate: given.birthDate ?? birthDateFromIdNumber(idNumber),
  }
}

/** The given fields that contradict a valid ID number. */
export function contradictions(idNumber: string | undefined, given: Identity): (keyof Identity)[] {
  if (!idNumber || idNumberProblem(idNumber) !== null) return []
  const found: (keyof Identity)[] = []
  if (given.birthDate && given.birthDate !== birthDateFromIdNumber(idNumber)) found.push('birthDate')
  if (given.gender && given.gender !== genderFromIdNumber(idNumber)) found.push('gender')
  return found
}

/** Whole years on `today` (YYYY-MM-DD, China's day), or null without a birth date. */
export function ageFrom(birthDate: string | null | undefined, today: string): number | null {
  if (!birthDate) return null
  const age = ageOn(birthDate, today)
  return age >= 0 ? age : null
}
