/**
 * Pure rules of the public side of grading (公示, 异议, certificates, grade changes): who may object
 * when, how contacts are masked, which files an objection may carry, how objections are throttled
 * per client address, and how certificate numbers and validity dates are made. No I/O here.
 */
import type { MessageKey } from '#app/lib/i18n.ts'
import { isValidPhone, maskPhone, normalisePhone } from '#app/lib/personal-numbers.ts'
import type { GradingApplicationStatus } from '#db/schema.ts'

export const statusLabel = (status: GradingApplicationStatus): MessageKey => `gradingNotice.status.${status}` as MessageKey

/** Round statuses whose 公示 page exists (notice and everything after it, except a cancelled round). */
export const PUBLIC_ROUND_STATUSES = ['notice', 'resolved', 'finalised'] as const

export function isPublicRound(round: { status: string; notice_start_on: string | null; notice_end_on: string | null }): boolean {
  return (PUBLIC_ROUND_STATUSES as readonly string[]).includes(round.status) && !!round.notice_start_on && !!round.notice_end_on
}

/** Objections are accepted only while the round is in notice and today lies inside the notice period. */
export function objectionWindowOpen(
  round: { status: string; notice_start_on: string | null; notice_end_on: string | null },
  today: string,
): boolean {
  if (round.status !== 'notice' || !round.notice_start_on || !round.notice_end_on) return false
  return round.notice_start_on <= today && today <= round.notice_end_on
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}$/

export type ContactKind = 'phone' | 'email'

export function contactKind(value: string): ContactKind | null {
  const v = value.trim()
  if (isValidPhone(v)) return 'phone'
  if (v.length <= 254 && EMAIL.test(v)) return 'email'
  return null
}

export function normaliseContact(value: string): string {
  const v = value.trim()
  return contactKind(v) === 'phone' ? normalisePhone(v) : v.toLowerCase()
}

/** 138****5678 for phones; a***@example.com for e-mail (first character of the local part kept). */
export function maskContact(value: string): string {
  const v = normaliseContact(value)
  if (contactKind(v) === 'phone') return maskPhone(v)
  const at = v.lastIndexOf('@')
  return `${v.slice(0, 1)}***${v.slice(at)}`
}

export const ATTACHMENT_TYPES = {
  pdf: { mime: 'application/pdf', extensions: ['pdf'] },
  jpg: { mime: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
  png: { mime: 'image/png', extensions: ['png'] },
} as const

export type AttachmentType = keyof typeof ATTACHMENT_TYPES

const startsWith = (bytes: Uint8Array, signature: readonly number[]) =>
  bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b)

/** The file's type by its first bytes (security checklist 22), never by its name or the browser's claim. */
export function detectAttachmentType(bytes: Uint8Array): AttachmentType | null {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf' // %PDF-
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpg'
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png'
  return null
}

/** The name must not contradict the bytes (a PDF called .png is refused). */
export function attachmentExtensionMatches(fileName: string, type: AttachmentType): boolean {
  const extension = fileName.toLowerCase().split('.').pop() ?? ''
  return (ATTACHMENT_TYPES[type].extensions as readonly string[]).includes(extension)
}

export function attachmentTypeOfMime(mime: string | null): AttachmentType | null {
  for (const [type, info] of Object.entries(ATTACHMENT_TYPES)) if (info.mime === mime) return type as AttachmentType
  return null
}

/** A display name safe to store and send back: no path, no control characters, at most 120 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? ''
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return base.replace(/[\u0000-\u001f\u007f"]/g, '').slice(-120) || 'attachment'
}

/**
 * Objection throttling per client address: the same token bucket as sign-in (sign_in_throttle,
 * app/modules/auth/throttle-policy.ts) with its own, smaller budget, since filing an objection is
 * rare and each one costs the association an investigation.
 */
export const OBJECTION_THROTTLE = {
  bucketCapacity: 5,
  /** Tokens regained per hour. */
  refillPerHour: 5,
} as const

/** Tokens (thousandths) after refilling a bucket for the time since its last update. */
export function refillObjectionBucket(bucketMilli: number, updatedAt: string, now: number): number {
  const hours = Math.max(0, now - Date.parse(updatedAt)) / 3_600_000
  return Math.min(OBJECTION_THROTTLE.bucketCapacity * 1000, Math.floor(bucketMilli + hours * OBJECTION_THROTTLE.refillPerHour * 1000))
}

const CERT_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** DJ-2026-XXXXXXXX: the year of issue and 40 random bits (Crockford base32); uniqueness is the table's. */
export function gradeCertificateNumber(year: number, random: Uint8Array = globalThis.crypto.getRandomValues(new Uint8Array(8))): string {
  let s = ''
  for (let i = 0; i < 8; i++) s += CERT_ALPHABET[random[i]! % 32]
  return `DJ-${year}-${s}`
}

export const GRADE_CERTIFICATE_PATTERN = /^DJ-\d{4}-[0-9A-HJKMNP-TV-Z]{8}$/

/**
 * The same calendar day `years` later; 29 February becomes 28 February in a common year (a grade
 * awarded on a leap day must not outlive its term by a day).
 */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const year = y + years
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  const day = m === 2 && d === 29 && !leap ? 28 : d
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** Days from `from` to `to` (both YYYY-MM-DD), negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}

/** Whether a grade certificate still vouches for its grade on `today`. */
export function certificateStanding(
  certificate: { status: 'valid' | 'revoked'; valid_until: string },
  today: string,
): 'valid' | 'revoked' | 'expired' {
  if (certificate.status === 'revoked') return 'revoked'
  return certificate.valid_until < today ? 'expired' : 'valid'
}

/**
 * What an upheld objection does to the result it names: a proposed grade is withdrawn; a result
 * left out (not_awarded) goes back on the list when the objection shows it was wrongly excluded.
 * Other statuses cannot change through an objection.
 */
export function upheldOutcome(status: string): 'not_awarded' | 'proposed' | null {
  if (status === 'proposed') return 'not_awarded'
  if (status === 'not_awarded') return 'proposed'
  return null
}
