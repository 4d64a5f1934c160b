/**
 * External training records (外部培训): training a mediator took elsewhere, claimed with a proof
 * file and counted only once their organisation's manager (or bureau staff in scope) approves it.
 * Pure: proof types recognised by their first bytes (never by the name or the browser's claim),
 * the form schemas and the review rules.
 */
import { fields, z } from '#app/lib/validation.ts'
import { SESSION_FORMATS, SESSION_KINDS } from './session-schemas.ts'

export const PROOF_TYPES = {
  pdf: { mime: 'application/pdf', extension: 'pdf', names: ['pdf'] },
  jpeg: { mime: 'image/jpeg', extension: 'jpg', names: ['jpg', 'jpeg'] },
  png: { mime: 'image/png', extension: 'png', names: ['png'] },
} as const

export type ProofType = keyof typeof PROOF_TYPES

const startsWith = (bytes: Uint8Array, signature: readonly number[]) =>
  bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b)

export function detectProofType(bytes: Uint8Array): ProofType | null {
  // %PDF-
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf'
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg'
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png'
  return null
}

/** The file's name must not contradict its bytes (a PDF named .png is refused); no name is fine. */
export function proofNameMatches(fileName: string, type: ProofType): boolean {
  if (!fileName) return true
  const extension = fileName.toLowerCase().split('.').pop() ?? ''
  return (PROOF_TYPES[type].names as readonly string[]).includes(extension)
}

/** A form nonce: the same form posted twice creates one record. */
export const SUBMISSION_KEY = /^[A-Za-z0-9_-]{16,40}$/

export const externalRecordSchema = z
  .object({
    submissionKey: z.string().regex(SUBMISSION_KEY),
    title: fields.text(200),
    provider: fields.text(200),
    kind: z.enum(SESSION_KINDS),
    format: z.enum(SESSION_FORMATS),
    startDate: fields.calendarDate(),
    endDate: fields.calendarDate(),
    hours: z.coerce.number().positive().max(200).multipleOf(0.5),
    assessment: fields.optionalText(100),
  })
  .refine((v) => v.endDate >= v.startDate, { message: 'training.session.endBeforeStart', path: ['endDate'] })

export type ExternalRecordInput = z.infer<typeof externalRecordSchema>

/** Training cannot be claimed before it ended: the end date may not be after today (China time). */
export function endsInFuture(input: Pick<ExternalRecordInput, 'endDate'>, today: string): boolean {
  return input.endDate > today
}

/** The proof type a record's stored MIME type names; null for anything else (never served). */
export function proofTypeOfMime(mime: string | null): ProofType | null {
  return (Object.keys(PROOF_TYPES) as ProofType[]).find((type) => PROOF_TYPES[type].mime === mime) ?? null
}

/*
 * The record page's three forms each post the version they were loaded with: a decision or a
 * withdrawal applies only to the record as the user saw it, so of two reviewers only the first
 * decides and a claimant cannot withdraw a record that was decided meanwhile.
 */
export const approveSchema = z.object({ intent: z.literal('approve'), version: fields.version() })
/** Rejecting needs a reason the mediator will read; approving needs nothing but the intent. */
export const rejectSchema = z.object({ intent: z.literal('reject'), version: fields.version(), reason: fields.text(500) })
export const withdrawSchema = z.object({ intent: z.literal('withdraw'), version: fields.version() })
export const recordActionSchema = z.discriminatedUnion('intent', [approveSchema, rejectSchema, withdrawSchema])

export type RecordAction = z.infer<typeof recordActionSchema>
