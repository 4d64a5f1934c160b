/**
 * Reviewer assignment (pure). The round's panel is a list of reviewers with their current load
 * (non-removed assignments in the round); each application needs `perApplication` reviewers who
 * are neither from the applicant's organisation nor declared a conflict with the applicant.
 *
 * Greedy, deterministic: the most constrained applications (fewest eligible reviewers) go first,
 * and each takes the least-loaded eligible reviewers, ties broken by user id. Without
 * constraints this keeps every reviewer's load within one of every other's (picking the k least
 * loaded of a set whose loads differ by at most one keeps them so); with constraints it is the
 * best a greedy pass can do and never breaks a constraint. An application that cannot get enough
 * reviewers gets none and is reported, so the caller can refuse to start scoring.
 */

export interface PanelReviewer {
  userId: string
  /** The reviewer's own organisation (users.person_id → people.org_id), if any. */
  orgId: string | null
  /** Non-removed assignments in the round already. */
  load: number
}

export interface ApplicationForAssignment {
  id: string
  personId: string
  orgId: string
  /** Reviewers already holding a row for this application (any status): never assigned twice. */
  existingReviewers: string[]
  /** How many more reviewers it needs. */
  needed: number
}

export interface Conflict {
  userId: string
  personId: string
}

export interface PlannedAssignment {
  applicationId: string
  reviewerUserId: string
}

export interface AssignmentPlan {
  assignments: PlannedAssignment[]
  /** Applications that could not get enough eligible reviewers (they get none). */
  unassigned: string[]
}

export function conflictKey(userId: string, personId: string): string {
  return `${userId}\u0000${personId}`
}

/** May this reviewer score this applicant at all? (own organisation or declared conflict → no). */
export function mayReview(
  reviewer: Pick<PanelReviewer, 'userId' | 'orgId'>,
  application: Pick<ApplicationForAssignment, 'personId' | 'orgId'>,
  conflicts: ReadonlySet<string>,
): boolean {
  if (reviewer.orgId !== null && reviewer.orgId === application.orgId) return false
  return !conflicts.has(conflictKey(reviewer.userId, application.personId))
}

function byLoadThenId(loads: Map<string, number>) {
  return (a: string, b: string) => (loads.get(a) ?? 0) - (loads.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0)
}

/** The eligible reviewers for one application, least loaded first. */
export function rankCandidates(
  application: Pick<ApplicationForAssignment, 'personId' | 'orgId' | 'existingReviewers'>,
  reviewers: readonly PanelReviewer[],
  conflicts: ReadonlySet<string>,
  loads: Map<string, number> = new Map(reviewers.map((r) => [r.userId, r.load])),
): string[] {
  const taken = new Set(application.existingReviewers)
  return reviewers
    .filter((r) => !taken.has(r.userId) && mayReview(r, application, conflicts))
    .map((r) => r.userId)
    .sort(byLoadThenId(loads))
}

export function planAssignments(
  applications: readonly ApplicationForAssignment[],
  reviewers: readonly PanelReviewer[],
  conflicts: readonly Conflict[],
): AssignmentPlan {
  const conflictSet = new Set(conflicts.map((c) => conflictKey(c.userId, c.personId)))
  const loads = new Map(reviewers.map((r) => [r.userId, r.load]))
  const eligibleCount = (a: ApplicationForAssignment) => rankCandidates(a, reviewers, conflictSet, loads).length
  const order = applications
    .filter((a) => a.needed > 0)
    .map((a) => ({ a, slack: eligibleCount(a) - a.needed }))
    .sort((x, y) => x.slack - y.slack || (x.a.id < y.a.id ? -1 : x.a.id > y.a.id ? 1 : 0))
  const assignments: PlannedAssignment[] = []
  const unassigned: string[] = []
  for (const { a } of order) {
    const candidates = rankCandidates(a, reviewers, conflictSet, loads)
    if (candidates.length < a.needed) {
      unassigned.push(a.id)
      continue
    }
    for (const userId of candidates.slice(0, a.needed)) {
      assignments.push({ applicationId: a.id, reviewerUserId: userId })
      loads.set(userId, (loads.get(userId) ?? 0) + 1)
    }
  }
  unassigned.sort()
  return { assignments, unassigned }
}
