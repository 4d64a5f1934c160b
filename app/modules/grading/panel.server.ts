/**
 * A round's review panel (评审委员会): who may review, the committee composition the association
 * records, declared conflicts, and reassignment. Everything here is for the association admin
 * (grading:manage on the round) except `recuse`, which a reviewer uses on their own assignment.
 *
 * Reviewers are users holding a `reviewer` grant whose region contains the association's region
 * (a Beijing reviewer may sit on the Haidian association's panel). That is exactly the reach the
 * policy gives `grading:review` (region subtree), so every panel member passes the record check
 * on the reviewer pages; a Haidian-only reviewer cannot sit on the Beijing association's panel.
 */
import type { Transaction } from 'kysely'
import type { Executor } from '#app/lib/db.server.ts'
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import { newId } from '#app/lib/ids.ts'
import type { Database, GradingRoundStatus } from '#db/schema.ts'
import { type Discrepancy, type ReviewerStats, detectDiscrepancy, mean, reviewerZScores } from './aggregate.ts'
import { type PanelReviewer, mayReview } from './assignment.ts'
import { type GradingConfig, parseGradingConfig } from './config.ts'
import { type CommitteeMember, parseCommittee } from './review-schemas.ts'

export type Outcome<T = null> = { ok: true; value: T } | { ok: false; error: MessageKey }

export function inTransaction<R>(db: Executor, work: (trx: Transaction<Database>) => Promise<R>): Promise<R> {
  if (db.isTransaction) return work(db as Transaction<Database>)
  return db.transaction().execute(work)
}

export interface ReviewRound {
  id: string
  associationOrgId: string
  associationName: string
  /** Region path of the association (the round's scope record). */
  regionPath: string
  title: string
  status: GradingRoundStatus
  version: number
  committee: CommitteeMember[]
  config: GradingConfig
}

/** The round with its config and scope; null when it does not exist. */
export async function getReviewRound(db: Executor, roundId: string): Promise<ReviewRound | null> {
  const row = await db
    .selectFrom('grading_rounds as gr')
    .innerJoin('grading_configs as gc', 'gc.id', 'gr.config_id')
    .innerJoin('organisations as o', 'o.id', 'gr.association_org_id')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .select([
      'gr.id',
      'gr.association_org_id',
      'o.name as association_name',
      'r.path',
      'gr.title',
      'gr.status',
      'gr.version',
      'gr.committee',
      'gc.config',
    ])
    .where('gr.id', '=', roundId)
    .executeTakeFirst()
  if (!row) return null
  return {
    id: row.id,
    associationOrgId: row.association_org_id,
    associationName: row.association_name,
    regionPath: row.path,
    title: row.title,
    status: row.status,
    version: Number(row.version),
    committee: parseCommittee(row.committee),
    config: parseGradingConfig(row.config),
  }
}

/** The scope record authorisation checks use for a round. */
export function roundScope(round: ReviewRound) {
  return { type: 'grading_round', id: round.id, orgId: round.associationOrgId, regionPath: round.regionPath }
}

/** Panel changes make sense until scoring ends. */
const PANEL_OPEN: GradingRoundStatus[] = ['draft', 'open', 'eligibility', 'scoring']

export interface ReviewerOption {
  userId: string
  displayName: string
  /** The reviewer's own organisation name, for the admin only. */
  orgName: string | null
}

/** Active users holding a reviewer grant whose region contains the round's association region. */
export async function eligibleReviewers(db: Executor, round: Pick<ReviewRound, 'regionPath'>): Promise<ReviewerOption[]> {
  const rows = await db
    .selectFrom('role_grants as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .innerJoin('regions as r', 'r.code', 'g.region_code')
    .leftJoin('people as p', 'p.id', 'u.person_id')
    .leftJoin('organisations as o', 'o.id', 'p.org_id')
    .select(['u.id', 'u.display_name', 'r.path', 'o.name as org_name'])
    .where('g.role', '=', 'reviewer')
    .where('u.status', '=', 'active')
    .orderBy('u.display_name')
    .orderBy('u.id')
    .execute()
  const seen = new Set<string>()
  const out: ReviewerOption[] = []
  for (const row of rows) {
    if (!round.regionPath.startsWith(row.path) || seen.has(row.id)) continue
    seen.add(row.id)
    out.push({ userId: row.id, displayName: row.display_name, orgName: row.org_name })
  }
  return out
}

/** Active panel members with their own organisation and current load in the round. */
export async function panelReviewers(db: Executor, roundId: string): Promise<PanelReviewer[]> {
  const members = await db
    .selectFrom('grading_panel_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .leftJoin('people as p', 'p.id', 'u.person_id')
    .select(['m.user_id', 'p.org_id'])
    .where('m.round_id', '=', roundId)
    .where('m.active', '=', 1)
    .where('u.status', '=', 'active')
    .execute()
  const loads = await db
    .selectFrom('grading_assignments')
    .select(['reviewer_user_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('round_id', '=', roundId)
    .where('status', '!=', 'removed')
    .groupBy('reviewer_user_id')
    .execute()
  const loadOf = new Map(loads.map((l) => [l.reviewer_user_id, Number(l.n)]))
  return members.map((m) => ({ userId: m.user_id, orgId: m.org_id, load: loadOf.get(m.user_id) ?? 0 }))
}

export async function roundConflicts(db: Executor, roundId: string) {
  return db
    .selectFrom('grading_reviewer_conflicts')
    .select(['user_id as userId', 'person_id as personId'])
    .where('round_id', '=', roundId)
    .execute()
}

export async function addPanelMember(db: Executor, round: ReviewRound, userId: string, now: string): Promise<Outcome> {
  if (!PANEL_OPEN.includes(round.status)) return { ok: false, error: 'gradingReview.error.panelClosed' }
  const eligible = await eligibleReviewers(db, round)
  if (!eligible.some((r) => r.userId === userId)) return { ok: false, error: 'gradingReview.error.notReviewer' }
  const existing = await db
    .selectFrom('grading_panel_members')
    .select(['id', 'active'])
    .where('round_id', '=', round.id)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  if (existing?.active) return { ok: false, error: 'gradingReview.error.alreadyOnPanel' }
  if (existing) {
    await db.updateTable('grading_panel_members').set({ active: 1 }).where('id', '=', existing.id).execute()
    return { ok: true, value: null }
  }
  try {
    await db
      .insertInto('grading_panel_members')
      .values({ id: newId(), round_id: round.id, user_id: userId, active: 1, created_at: now })
      .execute()
  } catch (error) {
    // A double submit: the first insert won; nothing more to do.
    if (isUniqueViolation(error, ['grading_panel_members', 'uq_grading_panel_members_round_user'])) return { ok: true, value: null }
    throw error
  }
  return { ok: true, value: null }
}

/** Deactivates a member; refused while they hold unsubmitted assignments (reassign those first). */
export async function removePanelMember(db: Executor, round: ReviewRound, userId: string): Promise<Outcome> {
  if (!PANEL_OPEN.includes(round.status)) return { ok: false, error: 'gradingReview.error.panelClosed' }
  const pending = await db
    .selectFrom('grading_assignments')
    .select('id')
    .where('round_id', '=', round.id)
    .where('reviewer_user_id', '=', userId)
    .where('status', '=', 'assigned')
    .executeTakeFirst()
  if (pending) return { ok: false, error: 'gradingReview.error.memberHasWork' }
  const result = await db
    .updateTable('grading_panel_members')
    .set({ active: 0 })
    .where('round_id', '=', round.id)
    .where('user_id', '=', userId)
    .where('active', '=', 1)
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) === 0) return { ok: false, error: 'gradingReview.error.notOnPanel' }
  return { ok: true, value: null }
}

/** Records the committee composition; guarded by the round's version (two admins at once). */
export async function updateCommittee(
  db: Executor,
  round: ReviewRound,
  version: number,
  committee: CommitteeMember[],
  now: string,
): Promise<Outcome> {
  if (round.status === 'finalised' || round.status === 'cancelled') return { ok: false, error: 'gradingReview.error.panelClosed' }
  const result = await db
    .updateTable('grading_rounds')
    .set((eb) => ({ committee: JSON.stringify(committee), version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', round.id)
    .where('version', '=', version)
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) === 0) return { ok: false, error: 'form.staleVersion' }
  return { ok: true, value: null }
}

/**
 * Replaces one unsubmitted assignment by another reviewer (removing the old row and adding a
 * 'reassigned' one). With `toUserId` null the least-loaded eligible panel member is chosen.
 */
async function replaceAssignment(
  trx: Executor,
  assignmentId: string,
  toUserId: string | null,
  now: string,
): Promise<Outcome<{ applicationId: string; from: string; to: string }>> {
  const a = await trx
    .selectFrom('grading_assignments as ga')
    .innerJoin('grading_applications as app', 'app.id', 'ga.application_id')
    .select(['ga.id', 'ga.round_id', 'ga.application_id', 'ga.reviewer_user_id', 'ga.status', 'app.person_id', 'app.org_id'])
    .where('ga.id', '=', assignmentId)
    .executeTakeFirst()
  if (!a) return { ok: false, error: 'gradingReview.error.assignmentMissing' }
  if (a.status !== 'assigned') return { ok: false, error: 'gradingReview.error.alreadySubmitted' }
  const taken = await trx
    .selectFrom('grading_assignments')
    .select('reviewer_user_id')
    .where('application_id', '=', a.application_id)
    .execute()
  const panel = await panelReviewers(trx, a.round_id)
  const conflicts = new Set((await roundConflicts(trx, a.round_id)).map((c) => `${c.userId}\u0000${c.personId}`))
  const application = { personId: a.person_id, orgId: a.org_id }
  const free = panel
    .filter((r) => !taken.some((t) => t.reviewer_user_id === r.userId) && mayReview(r, application, conflicts))
    .sort((x, y) => x.load - y.load || (x.userId < y.userId ? -1 : 1))
  let target: string
  if (toUserId) {
    const member = panel.find((r) => r.userId === toUserId)
    if (!member) return { ok: false, error: 'gradingReview.error.notOnPanel' }
    if (taken.some((t) => t.reviewer_user_id === toUserId)) return { ok: false, error: 'gradingReview.error.alreadyOnApplication' }
    if (!mayReview(member, application, conflicts)) return { ok: false, error: 'gradingReview.error.conflicted' }
    target = toUserId
  } else {
    if (!free[0]) return { ok: false, error: 'gradingReview.error.noReplacement' }
    target = free[0].userId
  }
  const removed = await trx
    .updateTable('grading_assignments')
    .set({ status: 'removed' })
    .where('id', '=', a.id)
    .where('status', '=', 'assigned')
    .executeTakeFirst()
  // The reviewer submitted in between: their review stands.
  if (Number(removed.numUpdatedRows) === 0) return { ok: false, error: 'gradingReview.error.alreadySubmitted' }
  await trx
    .insertInto('grading_assignments')
    .values({
      id: newId(),
      application_id: a.application_id,
      round_id: a.round_id,
      reviewer_user_id: target,
      reason: 'reassigned',
      status: 'assigned',
      scores: null,
      total: null,
      assigned_at: now,
      submitted_at: null,
    })
    .execute()
  return { ok: true, value: { applicationId: a.application_id, from: a.reviewer_user_id, to: target } }
}

/** The admin moves an unsubmitted assignment to another panel member (never a conflicted one). */
export async function reassign(db: Executor, round: ReviewRound, assignmentId: string, toUserId: string, now: string) {
  if (round.status !== 'scoring') return { ok: false, error: 'gradingReview.error.notScoring' } as const
  return inTransaction(db, async (trx) => {
    const belongs = await trx
      .selectFrom('grading_assignments')
      .select('id')
      .where('id', '=', assignmentId)
      .where('round_id', '=', round.id)
      .executeTakeFirst()
    if (!belongs) return { ok: false, error: 'gradingReview.error.assignmentMissing' } as const
    return replaceAssignment(trx, assignmentId, toUserId, now)
  })
}

/**
 * Records a conflict (reviewer ↔ applicant) for the round. If the reviewer holds an unsubmitted
 * assignment for that applicant it is moved to the least-loaded eligible member in the same
 * transaction; when nobody can take it, nothing is recorded and the caller says so.
 */
export async function declareConflict(
  db: Executor,
  round: ReviewRound,
  input: { userId: string; personId: string; reason: string },
  now: string,
): Promise<Outcome<{ reassignedFrom: string | null }>> {
  if (!PANEL_OPEN.includes(round.status)) return { ok: false, error: 'gradingReview.error.panelClosed' }
  return inTransaction(db, async (trx) => {
    const existing = await trx
      .selectFrom('grading_reviewer_conflicts')
      .select('id')
      .where('round_id', '=', round.id)
      .where('user_id', '=', input.userId)
      .where('person_id', '=', input.personId)
      .executeTakeFirst()
    if (existing) return { ok: false, error: 'gradingReview.error.conflictExists' } as const
    const held = await trx
      .selectFrom('grading_assignments as ga')
      .innerJoin('grading_applications as app', 'app.id', 'ga.application_id')
      .select(['ga.id', 'ga.status'])
      .where('ga.round_id', '=', round.id)
      .where('ga.reviewer_user_id', '=', input.userId)
      .where('app.person_id', '=', input.personId)
      .where('ga.status', '!=', 'removed')
      .executeTakeFirst()
    if (held?.status === 'submitted') return { ok: false, error: 'gradingReview.error.conflictAfterSubmit' } as const
    await trx
      .insertInto('grading_reviewer_conflicts')
      .values({ id: newId(), round_id: round.id, user_id: input.userId, person_id: input.personId, reason: input.reason, created_at: now })
      .execute()
    if (held) {
      const moved = await replaceAssignment(trx, held.id, null, now)
      // Roll the conflict back with the failed move: throw inside the transaction.
      if (!moved.ok) throw new ConflictRollback(moved.error)
      return { ok: true, value: { reassignedFrom: held.id } } as const
    }
    return { ok: true, value: { reassignedFrom: null } } as const
  }).catch((error: unknown) => {
    if (error instanceof ConflictRollback) return { ok: false, error: error.key } as const
    if (isUniqueViolation(error, ['grading_reviewer_conflicts', 'uq_grading_reviewer_conflicts_round_user_person']))
      return { ok: false, error: 'gradingReview.error.conflictExists' } as const
    throw error
  })
}

/**
 * A reviewer steps aside from one of their own unsubmitted assignments (blind: they never learn
 * whom they recognised; the conflict row is written with the application's person internally).
 */
export async function recuse(db: Executor, round: ReviewRound, assignmentId: string, userId: string, reason: string, now: string) {
  const row = await db
    .selectFrom('grading_assignments as ga')
    .innerJoin('grading_applications as a', 'a.id', 'ga.application_id')
    .select(['a.person_id', 'ga.status'])
    .where('ga.id', '=', assignmentId)
    .where('ga.round_id', '=', round.id)
    .where('ga.reviewer_user_id', '=', userId)
    .where('ga.status', '!=', 'removed')
    .executeTakeFirst()
  if (!row) return { ok: false, error: 'gradingReview.error.assignmentMissing' } as const
  if (row.status === 'submitted') return { ok: false, error: 'gradingReview.error.alreadySubmitted' } as const
  const result = await declareConflict(db, round, { userId, personId: row.person_id, reason }, now)
  return result.ok ? ({ ok: true, value: null } as const) : result
}

class ConflictRollback extends Error {
  constructor(readonly key: MessageKey) {
    super(key)
  }
}

export interface PanelView {
  zStats: (ReviewerStats & { displayName: string })[]
  members: (ReviewerOption & { load: number; submitted: number; calibrated: number })[]
  candidates: ReviewerOption[]
  conflicts: {
    id: string
    reviewerName: string
    userId: string
    applicantName: string
    blindCode: string | null
    reason: string
    createdAt: string
  }[]
  applications: {
    id: string
    blindCode: string
    gradeCode: string
    status: string
    personId: string
    applicantName: string
    orgName: string
    finalScore: number | null
    /** Computed live from the submitted reviews (null until two are in). */
    discrepancy: Discrepancy | null
    /** Mean of the reviewers' z-scores ×100 (advisory only). */
    meanZ: number | null
    assignments: {
      id: string
      reviewerUserId: string
      reviewerName: string
      reason: string
      status: string
      total: number | null
      submittedAt: string | null
    }[]
  }[]
}

/** Everything the admin's panel page shows (names included: the admin is not blind). */
export async function panelView(db: Executor, round: ReviewRound): Promise<PanelView> {
  const memberRows = await db
    .selectFrom('grading_panel_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .leftJoin('people as p', 'p.id', 'u.person_id')
    .leftJoin('organisations as o', 'o.id', 'p.org_id')
    .select(['m.user_id', 'u.display_name', 'o.name as org_name'])
    .where('m.round_id', '=', round.id)
    .where('m.active', '=', 1)
    .orderBy('u.display_name')
    .execute()
  const assignmentRows = await db
    .selectFrom('grading_assignments as ga')
    .innerJoin('users as u', 'u.id', 'ga.reviewer_user_id')
    .select([
      'ga.id',
      'ga.application_id',
      'ga.reviewer_user_id',
      'u.display_name',
      'ga.reason',
      'ga.status',
      'ga.total',
      'ga.scores',
      'ga.submitted_at',
    ])
    .where('ga.round_id', '=', round.id)
    .orderBy('ga.assigned_at')
    .orderBy('ga.id')
    .execute()
  const calibrations = await db
    .selectFrom('grading_calibrations')
    .select(['reviewer_user_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('round_id', '=', round.id)
    .groupBy('reviewer_user_id')
    .execute()
  const applicationRows = await db
    .selectFrom('grading_applications as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .innerJoin('organisations as o', 'o.id', 'a.org_id')
    .select(['a.id', 'a.blind_code', 'a.grade_code', 'a.status', 'a.person_id', 'p.name', 'o.name as org_name', 'a.final_score'])
    .where('a.round_id', '=', round.id)
    .where('a.status', 'not in', ['submitted', 'ineligible', 'withdrawn'])
    .orderBy('a.blind_code')
    .execute()
  const conflictRows = await db
    .selectFrom('grading_reviewer_conflicts as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .leftJoin('grading_applications as a', (join) => join.onRef('a.person_id', '=', 'c.person_id').onRef('a.round_id', '=', 'c.round_id'))
    .select(['c.id', 'u.display_name', 'c.user_id', 'p.name', 'a.blind_code', 'c.reason', 'c.created_at'])
    .where('c.round_id', '=', round.id)
    .orderBy('c.created_at')
    .execute()
  const candidates = (await eligibleReviewers(db, round)).filter((r) => !memberRows.some((m) => m.user_id === r.userId))
  const live = assignmentRows.filter((a) => a.status !== 'removed')
  const submitted = live.filter((a) => a.status === 'submitted')
  const { stats, z } = reviewerZScores(
    submitted.map((a) => ({ reviewerUserId: a.reviewer_user_id, applicationId: a.application_id, total: Number(a.total) })),
  )
  const nameOf = new Map(assignmentRows.map((a) => [a.reviewer_user_id, a.display_name]))
  const discrepancyOf = (applicationId: string) => {
    const reviews = submitted
      .filter((a) => a.application_id === applicationId)
      .map((a) => {
        const scores = JSON.parse(a.scores ?? '{}') as Record<string, { points: number }>
        return {
          total: Number(a.total),
          points: Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, Math.round(v.points / 100)])),
        }
      })
    return reviews.length >= 2 ? detectDiscrepancy(reviews, round.config) : null
  }
  const meanZOf = (applicationId: string) => {
    const values = z.filter((x) => x.applicationId === applicationId && x.z !== null).map((x) => x.z!)
    return values.length ? mean(values) : null
  }
  return {
    zStats: stats.map((s) => ({ ...s, displayName: nameOf.get(s.reviewerUserId) ?? s.reviewerUserId })),
    members: memberRows.map((m) => ({
      userId: m.user_id,
      displayName: m.display_name,
      orgName: m.org_name,
      load: live.filter((a) => a.reviewer_user_id === m.user_id).length,
      submitted: live.filter((a) => a.reviewer_user_id === m.user_id && a.status === 'submitted').length,
      calibrated: Number(calibrations.find((c) => c.reviewer_user_id === m.user_id)?.n ?? 0),
    })),
    candidates,
    conflicts: conflictRows.map((c) => ({
      id: c.id,
      reviewerName: c.display_name,
      userId: c.user_id,
      applicantName: c.name,
      blindCode: c.blind_code,
      reason: c.reason,
      createdAt: c.created_at,
    })),
    applications: applicationRows.map((a) => ({
      id: a.id,
      blindCode: a.blind_code,
      gradeCode: a.grade_code,
      status: a.status,
      personId: a.person_id,
      applicantName: a.name,
      orgName: a.org_name,
      finalScore: a.final_score === null ? null : Number(a.final_score),
      discrepancy: discrepancyOf(a.id),
      meanZ: meanZOf(a.id),
      assignments: assignmentRows
        .filter((x) => x.application_id === a.id)
        .map((x) => ({
          id: x.id,
          reviewerUserId: x.reviewer_user_id,
          reviewerName: x.display_name,
          reason: x.reason,
          status: x.status,
          total: x.total === null ? null : Number(x.total),
          submittedAt: x.submitted_at,
        })),
    })),
  }
}
