/**
 * Reviewer assignment for a grading round (G2). `assignReviewers` runs inside the round's
 * eligibility → scoring transition (rounds.server.ts): every 'eligible' application gets
 * config.reviewersPerApplication reviewers from the round's active panel, by the pure plan in
 * assignment.ts (balanced load; never the applicant's own organisation or a declared conflict).
 */
import type { Executor } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import { planAssignments } from './assignment.ts'
import { parseGradingConfig } from './config.ts'
import { panelReviewers, roundConflicts } from './panel.server.ts'

/**
 * Assigns reviewers to every 'eligible' application of the round. All or nothing: when any
 * application cannot get enough eligible reviewers nothing is written and those applications are
 * returned, so the caller can refuse the transition with a message (and the admin can grow the
 * panel). Applications that already hold enough live assignments are left alone (idempotent).
 */
export async function assignReviewers(trx: Executor, roundId: string, now: string): Promise<{ assigned: number; unassigned: string[] }> {
  const round = await trx
    .selectFrom('grading_rounds as r')
    .innerJoin('grading_configs as c', 'c.id', 'r.config_id')
    .select(['c.config'])
    .where('r.id', '=', roundId)
    .executeTakeFirstOrThrow()
  const config = parseGradingConfig(round.config)
  const applications = await trx
    .selectFrom('grading_applications')
    .select(['id', 'person_id', 'org_id'])
    .where('round_id', '=', roundId)
    .where('status', '=', 'eligible')
    .orderBy('id')
    .execute()
  if (applications.length === 0) return { assigned: 0, unassigned: [] }
  const existing = await trx
    .selectFrom('grading_assignments')
    .select(['application_id', 'reviewer_user_id', 'status'])
    .where('round_id', '=', roundId)
    .execute()
  const plan = planAssignments(
    applications.map((a) => {
      const rows = existing.filter((e) => e.application_id === a.id)
      return {
        id: a.id,
        personId: a.person_id,
        orgId: a.org_id,
        existingReviewers: rows.map((e) => e.reviewer_user_id),
        needed: Math.max(0, config.reviewersPerApplication - rows.filter((e) => e.status !== 'removed').length),
      }
    }),
    await panelReviewers(trx, roundId),
    await roundConflicts(trx, roundId),
  )
  if (plan.unassigned.length > 0) return { assigned: 0, unassigned: plan.unassigned }
  for (const a of plan.assignments) {
    await trx
      .insertInto('grading_assignments')
      .values({
        id: newId(),
        application_id: a.applicationId,
        round_id: roundId,
        reviewer_user_id: a.reviewerUserId,
        reason: 'initial',
        status: 'assigned',
        scores: null,
        total: null,
        assigned_at: now,
        submitted_at: null,
      })
      .execute()
  }
  return { assigned: plan.assignments.length, unassigned: [] }
}

/** Assignments of the round not yet submitted (removed ones do not count). */
export async function pendingReviewCount(db: Executor, roundId: string): Promise<number> {
  // Only applications still in review: a withdrawn application's open assignments hold nothing up.
  const row = await db
    .selectFrom('grading_assignments as ga')
    .innerJoin('grading_applications as a', 'a.id', 'ga.application_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('ga.round_id', '=', roundId)
    .where('ga.status', '=', 'assigned')
    .where('a.status', '=', 'eligible')
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}
