/**
 * Form schemas and parsers for the review panel, calibration and scoring (G2). Scoring forms are
 * built from the round's rubric, so their fields (`p.<key>`, `c.<key>`) are parsed here against
 * the rubric rather than by a fixed schema; every problem becomes a message key.
 */
import type { MessageKey } from '#app/lib/i18n.ts'
import { fields, z } from '#app/lib/validation.ts'
import type { RubricCriterion } from './config.ts'

export const COMMITTEE_KINDS = ['association', 'bureau', 'expert', 'mediator', 'legal'] as const
export type CommitteeKind = (typeof COMMITTEE_KINDS)[number]

export const committeeMemberSchema = z.object({
  name: fields.text(40),
  affiliation: fields.text(80),
  kind: z.enum(COMMITTEE_KINDS),
})
export type CommitteeMember = z.infer<typeof committeeMemberSchema>

export const committeeSchema = z.array(committeeMemberSchema).max(40)

/** The stored committee JSON; anything malformed reads as empty rather than breaking the page. */
export function parseCommittee(json: string | null): CommitteeMember[] {
  try {
    const parsed = committeeSchema.safeParse(JSON.parse(json ?? '[]'))
    return parsed.success ? parsed.data : []
  } catch {
    return []
  }
}

/** Committee rows as posted (`name.0`, `affiliation.0`, `kind.0`, …); rows left blank are dropped. */
export function committeeRowsFrom(form: FormData, maxRows = 40) {
  const rows: { name: string; affiliation: string; kind: string }[] = []
  for (let i = 0; i < maxRows; i++) {
    const name = String(form.get(`name.${i}`) ?? '').trim()
    const affiliation = String(form.get(`affiliation.${i}`) ?? '').trim()
    const kind = String(form.get(`kind.${i}`) ?? '').trim()
    if (!name && !affiliation) continue
    rows.push({ name, affiliation, kind })
  }
  return rows
}

export const memberFormSchema = z.object({ userId: z.string().min(1).max(40) })

export const conflictFormSchema = z.object({
  userId: z.string().min(1).max(40),
  applicationId: z.string().min(1).max(40),
  reason: fields.text(500),
})

export const recuseFormSchema = z.object({ reason: fields.text(500) })

export const reassignFormSchema = z.object({
  assignmentId: z.string().min(1).max(40),
  toUserId: z.string().min(1).max(40),
})

export interface ScoreInput {
  /** Raw text per criterion as posted, to re-fill the form. */
  points: Record<string, string>
  comments: Record<string, string>
}

export type ParsedScores =
  | { ok: true; points: Record<string, number>; comments: Record<string, string>; input: ScoreInput }
  | { ok: false; errors: Record<string, MessageKey>; input: ScoreInput }

export const COMMENT_MAX = 1000

/**
 * Whole points within 0 … maxPoints for every criterion, and a comment for each (the issue asks
 * for "a comment per criterion"). `requireComments` is false for calibration samples.
 */
export function parseScores(form: FormData, rubric: readonly RubricCriterion[], requireComments: boolean): ParsedScores {
  const input: ScoreInput = { points: {}, comments: {} }
  const errors: Record<string, MessageKey> = {}
  const points: Record<string, number> = {}
  const comments: Record<string, string> = {}
  for (const c of rubric) {
    const raw = String(form.get(`p.${c.key}`) ?? '').trim()
    const comment = String(form.get(`c.${c.key}`) ?? '').trim()
    input.points[c.key] = raw
    input.comments[c.key] = comment
    if (raw === '') errors[`p.${c.key}`] = 'gradingReview.error.pointsRequired'
    else if (!/^\d{1,3}$/.test(raw)) errors[`p.${c.key}`] = 'gradingReview.error.pointsWhole'
    else if (Number(raw) > c.maxPoints) errors[`p.${c.key}`] = 'gradingReview.error.pointsRange'
    else points[c.key] = Number(raw)
    if (requireComments && comment === '') errors[`c.${c.key}`] = 'gradingReview.error.commentRequired'
    else if (comment.length > COMMENT_MAX) errors[`c.${c.key}`] = 'gradingReview.error.commentTooLong'
    else comments[c.key] = comment
  }
  if (Object.keys(errors).length) return { ok: false, errors, input }
  return { ok: true, points, comments, input }
}
