/**
 * Blind scoring and calibration (G2).
 *
 * Blindness: nothing in this file selects the applicant's person, name, organisation, ID number
 * or who applied (grading_applications.person_id/org_id/applied_by). Reviewers get the blind
 * code, the grade applied for, the frozen evidence snapshot (which holds no identity) and the
 * rubric. The one place that needs person/org (choosing a non-conflicted extra reviewer) uses
 * them inside the transaction and never returns them.
 *
 * Reviews are written once: the assignment row moves 'assigned' → 'submitted' in a conditional
 * update, so a second submit (or an edit) changes nothing and is refused.
 */
import type { Executor } from '#app/lib/db.server.ts'
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import { isId, newId } from '#app/lib/ids.ts'
import type { GradingRoundStatus } from '#db/schema.ts'
import { calibrationDeviation, detectDiscrepancy, finalScore, reviewTotal } from './aggregate.ts'
import { mayReview } from './assignment.ts'
import { type GradingConfig, type RubricCriterion, parseGradingConfig } from './config.ts'
import type { EvidenceSnapshot } from './evidence.ts'
import { type Outcome, type ReviewRound, inTransaction, panelReviewers, roundConflicts } from './panel.server.ts'

/** Stored per criterion: points in hundredths (whole points × 100) and the reviewer's comment. */
export type StoredScores = Record<string, { points: number; comment: string }>

export function parseStoredScores(json: string | null): StoredScores {
  if (!json) return {}
  try {
    return JSON.parse(json) as StoredScores
  } catch {
    return {}
  }
}

/** Whole points per criterion from stored hundredths. */
export function wholePoints(scores: StoredScores): Record<string, number> {
  return Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, Math.round(v.points / 100)]))
}

// ---------------------------------------------------------------------------------------------
// Calibration

export interface CalibrationSampleState {
  key: string
  title: string
  summary: string
  done: {
    total: number
    referenceTotal: number
    deviation: number
    points: Record<string, number>
    reference: Record<string, number>
  } | null
}

export async function calibrationState(db: Executor, round: Pick<ReviewRound, 'id' | 'config'>, userId: string) {
  const rows = await db
    .selectFrom('grading_calibrations')
    .select(['sample_key', 'scores', 'total', 'reference_total', 'deviation'])
    .where('round_id', '=', round.id)
    .where('reviewer_user_id', '=', userId)
    .execute()
  const samples: CalibrationSampleState[] = round.config.calibrationSamples.map((s) => {
    const row = rows.find((r) => r.sample_key === s.key)
    const stored = row ? (JSON.parse(row.scores) as Record<string, number>) : null
    return {
      key: s.key,
      title: s.title,
      summary: s.summary,
      done:
        row && stored
          ? {
              total: Number(row.total),
              referenceTotal: Number(row.reference_total),
              deviation: Number(row.deviation),
              points: Object.fromEntries(Object.entries(stored).map(([k, v]) => [k, Math.round(v / 100)])),
              // The reference is shown only once the reviewer has scored the sample.
              reference: s.reference,
            }
          : null,
    }
  })
  return { samples, complete: samples.every((s) => s.done !== null) }
}

async function isPanelMember(db: Executor, roundId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('grading_panel_members')
    .select('id')
    .where('round_id', '=', roundId)
    .where('user_id', '=', userId)
    .where('active', '=', 1)
    .executeTakeFirst()
  return !!row
}

const CALIBRATION_OPEN: GradingRoundStatus[] = ['draft', 'open', 'eligibility', 'scoring']

export async function saveCalibration(
  db: Executor,
  round: ReviewRound,
  userId: string,
  sampleKey: string,
  points: Record<string, number>,
  now: string,
): Promise<Outcome<{ total: number; referenceTotal: number; deviation: number }>> {
  if (!CALIBRATION_OPEN.includes(round.status)) return { ok: false, error: 'gradingReview.error.calibrationClosed' }
  if (!(await isPanelMember(db, round.id, userId))) return { ok: false, error: 'gradingReview.error.notOnPanel' }
  const sample = round.config.calibrationSamples.find((s) => s.key === sampleKey)
  if (!sample) return { ok: false, error: 'gradingReview.error.sampleMissing' }
  const result = calibrationDeviation(round.config.rubric, points, sample.reference)
  try {
    await db
      .insertInto('grading_calibrations')
      .values({
        id: newId(),
        round_id: round.id,
        reviewer_user_id: userId,
        sample_key: sampleKey,
        scores: JSON.stringify(Object.fromEntries(Object.entries(points).map(([k, v]) => [k, v * 100]))),
        total: result.total,
        reference_total: result.referenceTotal,
        deviation: result.deviation,
        created_at: now,
      })
      .execute()
  } catch (error) {
    if (isUniqueViolation(error, ['grading_calibrations', 'uq_grading_calibrations_round_reviewer_user_sample_key']))
      return { ok: false, error: 'gradingReview.error.calibrationDone' }
    throw error
  }
  return { ok: true, value: result }
}

// ---------------------------------------------------------------------------------------------
// The reviewer's queue

export interface QueueItem {
  assignmentId: string
  roundId: string
  roundTitle: string
  roundStatus: GradingRoundStatus
  blindCode: string
  gradeName: string
  status: 'assigned' | 'submitted'
  reason: string
  total: number | null
  assignedAt: string
  calibrationComplete: boolean
}

/** The reviewer's assignments across rounds, open work first (no identity selected). */
export async function reviewerQueue(db: Executor, userId: string): Promise<QueueItem[]> {
  const rows = await db
    .selectFrom('grading_assignments as ga')
    .innerJoin('grading_applications as a', 'a.id', 'ga.application_id')
    .innerJoin('grading_rounds as r', 'r.id', 'ga.round_id')
    .innerJoin('grading_configs as c', 'c.id', 'r.config_id')
    .select([
      'ga.id',
      'ga.round_id',
      'r.title',
      'r.status as round_status',
      'c.config',
      'a.blind_code',
      'a.grade_code',
      'ga.status',
      'ga.reason',
      'ga.total',
      'ga.assigned_at',
    ])
    .where('ga.reviewer_user_id', '=', userId)
    .where('ga.status', '!=', 'removed')
    .where('a.status', '!=', 'withdrawn')
    .where('r.status', '!=', 'cancelled')
    .orderBy('ga.assigned_at', 'desc')
    .orderBy('a.blind_code')
    .execute()
  const calibrated = await db
    .selectFrom('grading_calibrations')
    .select(['round_id', 'sample_key'])
    .where('reviewer_user_id', '=', userId)
    .execute()
  const configs = new Map<string, GradingConfig>()
  const items = rows.map((row): QueueItem => {
    const config = configs.get(row.round_id) ?? parseGradingConfig(row.config)
    configs.set(row.round_id, config)
    const done = new Set(calibrated.filter((c) => c.round_id === row.round_id).map((c) => c.sample_key))
    return {
      assignmentId: row.id,
      roundId: row.round_id,
      roundTitle: row.title,
      roundStatus: row.round_status,
      blindCode: row.blind_code,
      gradeName: config.grades.find((g) => g.code === row.grade_code)?.name ?? row.grade_code,
      status: row.status === 'submitted' ? 'submitted' : 'assigned',
      reason: row.reason,
      total: row.total === null ? null : Number(row.total),
      assignedAt: row.assigned_at,
      calibrationComplete: config.calibrationSamples.every((s) => done.has(s.key)),
    }
  })
  // Open work first, then the rest, each newest first (already ordered).
  return [...items.filter((i) => i.status === 'assigned'), ...items.filter((i) => i.status === 'submitted')]
}

// ---------------------------------------------------------------------------------------------
// One blind assignment

export interface OtherReview {
  /** 评审A, 评审B… in submission order: reviewers stay anonymous to one another. */
  label: string
  total: number
  points: Record<string, number>
  comments: Record<string, string>
}

export interface BlindAssignment {
  assignmentId: string
  roundId: string
  roundTitle: string
  roundStatus: GradingRoundStatus
  status: 'assigned' | 'submitted'
  blindCode: string
  gradeCode: string
  gradeName: string
  evidence: EvidenceSnapshot | null
  rubric: RubricCriterion[]
  calibrationComplete: boolean
  mine: { total: number; points: Record<string, number>; comments: Record<string, string>; submittedAt: string | null } | null
  /** Others' submitted scores, only once the reviewer has submitted their own. */
  others: OtherReview[]
}

/** The assignment as its reviewer sees it; null when it is not theirs (or removed). */
export async function blindAssignment(db: Executor, assignmentId: string, userId: string): Promise<BlindAssignment | null> {
  if (!isId(assignmentId)) return null
  const row = await db
    .selectFrom('grading_assignments as ga')
    .innerJoin('grading_applications as a', 'a.id', 'ga.application_id')
    .innerJoin('grading_rounds as r', 'r.id', 'ga.round_id')
    .innerJoin('grading_configs as c', 'c.id', 'r.config_id')
    // Deliberately no a.person_id, a.org_id, a.applied_by, people or organisations.
    .select([
      'ga.id',
      'ga.application_id',
      'ga.round_id',
      'ga.status',
      'ga.scores',
      'ga.total',
      'ga.submitted_at',
      'a.blind_code',
      'a.grade_code',
      'a.evidence',
      'r.title',
      'r.status as round_status',
      'c.config',
    ])
    .where('ga.id', '=', assignmentId)
    .where('ga.reviewer_user_id', '=', userId)
    .where('ga.status', '!=', 'removed')
    .executeTakeFirst()
  if (!row) return null
  const config = parseGradingConfig(row.config)
  const calibration = await calibrationState(db, { id: row.round_id, config }, userId)
  const submitted = row.status === 'submitted'
  const stored = parseStoredScores(row.scores)
  let others: OtherReview[] = []
  if (submitted) {
    const otherRows = await db
      .selectFrom('grading_assignments')
      .select(['scores', 'total'])
      .where('application_id', '=', row.application_id)
      .where('status', '=', 'submitted')
      .where('id', '!=', row.id)
      .orderBy('submitted_at')
      .orderBy('id')
      .execute()
    others = otherRows.map((o, i) => {
      const s = parseStoredScores(o.scores)
      return {
        label: String.fromCharCode(65 + (i % 26)),
        total: Number(o.total),
        points: wholePoints(s),
        comments: Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v.comment])),
      }
    })
  }
  let evidence: EvidenceSnapshot | null = null
  try {
    evidence = JSON.parse(row.evidence) as EvidenceSnapshot
  } catch {
    evidence = null
  }
  return {
    assignmentId: row.id,
    roundId: row.round_id,
    roundTitle: row.title,
    roundStatus: row.round_status,
    status: submitted ? 'submitted' : 'assigned',
    blindCode: row.blind_code,
    gradeCode: row.grade_code,
    gradeName: config.grades.find((g) => g.code === row.grade_code)?.name ?? row.grade_code,
    evidence,
    rubric: config.rubric,
    calibrationComplete: calibration.complete,
    mine: submitted
      ? {
          total: Number(row.total),
          points: wholePoints(stored),
          comments: Object.fromEntries(Object.entries(stored).map(([k, v]) => [k, v.comment])),
          submittedAt: row.submitted_at,
        }
      : null,
    others,
  }
}

// ---------------------------------------------------------------------------------------------
// Submitting a review, and what follows when an application's reviews are all in

export type Settlement = 'pending' | 'discrepancy' | 'scored'

export async function submitReview(
  db: Executor,
  input: { assignmentId: string; userId: string; points: Record<string, number>; comments: Record<string, string> },
  now: string,
): Promise<Outcome<{ total: number; settlement: Settlement; applicationId: string }>> {
  if (!isId(input.assignmentId)) return { ok: false, error: 'gradingReview.error.assignmentMissing' }
  const head = await db
    .selectFrom('grading_assignments as ga')
    .innerJoin('grading_rounds as r', 'r.id', 'ga.round_id')
    .innerJoin('grading_configs as c', 'c.id', 'r.config_id')
    .select(['ga.application_id', 'ga.round_id', 'ga.reviewer_user_id', 'ga.status', 'r.status as round_status', 'c.config'])
    .where('ga.id', '=', input.assignmentId)
    .executeTakeFirst()
  if (!head || head.reviewer_user_id !== input.userId || head.status === 'removed')
    return { ok: false, error: 'gradingReview.error.assignmentMissing' }
  if (head.status === 'submitted') return { ok: false, error: 'gradingReview.error.alreadySubmitted' }
  if (head.round_status !== 'scoring') return { ok: false, error: 'gradingReview.error.notScoring' }
  const config = parseGradingConfig(head.config)
  const calibration = await calibrationState(db, { id: head.round_id, config }, input.userId)
  if (!calibration.complete) return { ok: false, error: 'gradingReview.error.calibrateFirst' }
  for (const c of config.rubric) {
    const p = input.points[c.key]
    if (p === undefined || !Number.isInteger(p) || p < 0 || p > c.maxPoints) return { ok: false, error: 'gradingReview.error.pointsRange' }
  }
  const total = reviewTotal(config.rubric, input.points)
  const scores: StoredScores = Object.fromEntries(
    config.rubric.map((c) => [c.key, { points: input.points[c.key]! * 100, comment: input.comments[c.key] ?? '' }]),
  )
  return inTransaction(db, async (trx) => {
    // Lock the application row first, so two reviewers finishing at once settle it exactly once
    // (on MariaDB the later transaction waits here and then reads the earlier one's submit).
    await trx.updateTable('grading_applications').set({ updated_at: now }).where('id', '=', head.application_id).execute()
    const updated = await trx
      .updateTable('grading_assignments')
      .set({ status: 'submitted', scores: JSON.stringify(scores), total, submitted_at: now })
      .where('id', '=', input.assignmentId)
      .where('reviewer_user_id', '=', input.userId)
      .where('status', '=', 'assigned')
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) === 0) return { ok: false, error: 'gradingReview.error.alreadySubmitted' } as const
    const settlement = await settleApplication(trx, head.application_id, config, now)
    return { ok: true, value: { total, settlement, applicationId: head.application_id } } as const
  })
}

/**
 * When every live assignment of the application is submitted: if the reviews disagree beyond the
 * tolerances and no extra reviewer was asked yet, assign one (least loaded, not conflicted, not
 * from the applicant's organisation); otherwise mark the application 'scored' with its final
 * score. When no extra reviewer is available the application is scored as it stands (the panel
 * page keeps showing the discrepancy flag).
 */
export async function settleApplication(trx: Executor, applicationId: string, config: GradingConfig, now: string): Promise<Settlement> {
  const rows = await trx
    .selectFrom('grading_assignments')
    .select(['reviewer_user_id', 'status', 'reason', 'scores', 'total', 'round_id'])
    .where('application_id', '=', applicationId)
    .execute()
  const live = rows.filter((r) => r.status !== 'removed')
  if (live.length === 0 || live.some((r) => r.status === 'assigned')) return 'pending'
  const reviews = live.map((r) => ({ total: Number(r.total), points: wholePoints(parseStoredScores(r.scores)) }))
  const discrepancy = detectDiscrepancy(reviews, config)
  if (discrepancy.discrepant && !rows.some((r) => r.reason === 'discrepancy')) {
    const app = await trx
      .selectFrom('grading_applications')
      .select(['person_id', 'org_id', 'round_id'])
      .where('id', '=', applicationId)
      .executeTakeFirstOrThrow()
    const conflicts = new Set((await roundConflicts(trx, app.round_id)).map((c) => `${c.userId}\u0000${c.personId}`))
    const taken = new Set(rows.map((r) => r.reviewer_user_id))
    const candidates = (await panelReviewers(trx, app.round_id))
      .filter((r) => !taken.has(r.userId) && mayReview(r, { personId: app.person_id, orgId: app.org_id }, conflicts))
      .sort((x, y) => x.load - y.load || (x.userId < y.userId ? -1 : 1))
    const extra = candidates[0]
    if (extra) {
      await trx
        .insertInto('grading_assignments')
        .values({
          id: newId(),
          application_id: applicationId,
          round_id: app.round_id,
          reviewer_user_id: extra.userId,
          reason: 'discrepancy',
          status: 'assigned',
          scores: null,
          total: null,
          assigned_at: now,
          submitted_at: null,
        })
        .execute()
      return 'discrepancy'
    }
  }
  await trx
    .updateTable('grading_applications')
    .set((eb) => ({
      status: 'scored',
      final_score: finalScore(
        reviews.map((r) => r.total),
        config,
      ),
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', applicationId)
    .where('status', '=', 'eligible')
    .execute()
  return 'scored'
}
