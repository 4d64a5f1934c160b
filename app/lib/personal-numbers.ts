/**
 * Chinese resident ID numbers (GB 11643-1999) and mobile numbers: validation and masking.
 * Pure functions, shared by forms, imports and the crypto module.
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK_CHARS = '10X98765432'

export function normaliseIdNumber(value: string): string {
  return value.trim().toUpperCase()
}

export function idNumberCheckChar(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!
  return ID_CHECK_CHARS[sum % 11]!
}

export type IdNumberProblem = 'format' | 'birthDate' | 'checksum'

/** Returns the first problem with an ID number, or null when it is valid. */
export function idNumberProblem(raw: string, today = new Date().toISOString().slice(0, 10)): IdNumberProblem | null {
  const value = normaliseIdNumber(raw)
  if (!/^\d{17}[\dX]$/.test(value)) return 'format'
  const birth = birthDateFromIdNumber(value)
  const parsed = new Date(`${birth}T00:00:00Z`)
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== birth) return 'birthDate'
  if (birth < '1900-01-01' || birth > today) return 'birthDate'
  if (idNumberCheckChar(value.slice(0, 17)) !== value[17]) return 'checksum'
  return null
}

export function isValidIdNumber(value: string): boolean {
  return idNumberProblem(value) === null
}

export function birthDateFromIdNumber(value: string): string {
  return `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`
}

/** The 17th digit is odd for men and even for women. */
export function genderFromIdNumber(value: string): 'male' | 'female' {
  return Number(value[16]) % 2 === 1 ? 'male' : 'female'
}

export function maskIdNumber(value: string): string {
  const v = normaliseIdNumber(value)
  return `${v.slice(0, 6)}********${v.slice(-4)}`
}

export function normalisePhone(value: string): string {
  return value.replace(/[\s-]/g, '').replace(/^\+?86/, '')
}

/** Mainland mobile numbers: 11 digits starting 13-19. */
export function isValidPhone(value: string): boolean {
  return /^1[3-9]\d{9}$/.test(normalisePhone(value))
}

export function maskPhone(value: string): string {
  const v = normalisePhone(value)
  return `${v.slice(0, 3)}****${v.slice(-4)}`
}
