/**
 * The grading queue for drafting drills. Graders see the text, the drill and the automatic
 * checklist, never who wrote it (no name, person, user, organisation or region leaves here).
 */
import type { Executor } from '#app/lib/db.server.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import { newId } from '#app/lib/ids.ts'
import { scopeCondition } from '#app/lib/list-scope.server.ts'
import type { ListScope } from '#app/modules/auth/policy.ts'
import { type Attempt, getAttempt, type Outcome, parseJson } from './attempts.server.ts'
import type { Drill } from './content.server.ts'
import { type CriterionScores, detectChecklist, outOfRange, rubricTotal } from './model.ts'

export interface QueueEntry {
  attemptId: string
  /** A short anonymous reference (the last characters of the attempt id). */
  reference: string
  slug: string
  title: string
  submittedAt: string
  revision: number
  myStatus: 'draft' | 'final' | 'returned' | null
  finals: number
  graders: number
}

export function anonymousReference(attemptId: string): string {
  return `#${attemptId.slice(-6)}`
}

/**
 * Where an attempt sits for the grader's scope: the region path of the author's organisation
 * (the one recorded when the attempt started). Null when the attempt names no organisation, so
 * region-scoped graders never reach it. Used for the record check only; never sent to the page.
 */
export async function attemptRegionPath(db: Executor, attempt: Pick<Attempt, 'org_id'>): Promise<string | null> {
  if (!attempt.org_id) return null
  const row = await db
    .selectFrom('organisations as o')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .select('r.path')
    .where('o.id', '=', attempt.org_id)
    .executeTakeFirst()
  return row?.path ?? null
}

/**
 * Submitted drafting attempts still needing grades (and, for each, this grader's sheet), limited
 * to the grader's scope (`drill:grade`): attempts whose author's organisation lies in the scope's
 * region subtrees. The organisation is only a filter here; nothing about it is returned.
 */
export async function gradingQueue(
  db: Executor,
  graderUserId: string,
  drills: Map<string, Drill>,
  scope: ListScope,
): Promise<QueueEntry[]> {
  const attempts = await db
    .selectFrom('drill_attempts as a')
    .leftJoin('organisations as o', 'o.id', 'a.org_id')
    .select(['a.id', 'a.drill_slug', 'a.submitted_at', 'a.revision', 'a.user_id'])
    .where('a.kind', '=', 'drafting')
    .where('a.status', '=', 'submitted')
    .where(scopeCondition(scope, { region: 'o.region_code' }))
    .orderBy('a.submitted_at', 'asc')
    .limit(200)
    .execute()
  const ids = attempts.map((a) => a.id)
  const grades = ids.length
    ? await db.selectFrom('drill_grades').select(['attempt_id', 'grader_user_id', 'status']).where('attempt_id', 'in', ids).execute()
    : []
  const entries: QueueEntry[] = []
  for (const attempt of attempts) {
    // Nobody grades their own work.
    if (attempt.user_id === graderUserId) continue
    const drill = drills.get(attempt.drill_slug)
    if (drill?.structure.kind !== 'drafting') continue
    const sheets = grades.filter((g) => g.attempt_id === attempt.id)
    const mine = sheets.find((g) => g.grader_user_id === graderUserId)
    const finals = sheets.filter((g) => g.status === 'final').length
    // Full: enough other graders finalised already.
    if (!mine && sheets.length >= drill.structure.graders) continue
    entries.push({
      attemptId: attempt.id,
      reference: anonymousReference(attempt.id),
      slug: attempt.drill_slug,
      title: drill.structure.title,
      submittedAt: attempt.submitted_at!,
      revision: attempt.revision,
      myStatus: mine?.status ?? null,
      finals,
      graders: drill.structure.graders,
    })
  }
  return entries
}

/** What a grader may see of one submission: anonymised. */
export async function submissionForGrading(db: Executor, attempt: Attempt, graderUserId: string) {
  const text = parseJson<{ text: string }>(attempt.answers, { text: '' }).text
  const sheet = await db
    .selectFrom('drill_grades')
    .select(['scores', 'comment', 'status', 'version', 'total_tenths', 'percent'])
    .where('attempt_id', '=', attempt.id)
    .where('grader_user_id', '=', graderUserId)
    .executeTakeFirst()
  return {
    attemptId: attempt.id,
    reference: anonymousReference(attempt.id),
    slug: attempt.drill_slug,
    status: attempt.status,
    revision: attempt.revision,
    submittedAt: attempt.submitted_at,
    text,
    checklist: detectChecklist(text),
    sheet: sheet
      ? {
          scores: parseJson<CriterionScores>(sheet.scores, {}),
          comment: sheet.comment ?? '',
          status: sheet.status,
          version: sheet.version,
          percent: sheet.percent,
        }
      : null,
  }
}

export type GradeIntent = 'save' | 'finalise' | 'return'

/**
 * Saves a grader's sheet. `finalise` needs every criterion in range; `return` sends the draft
 * back for revision with the comments; both close the sheet. With two graders the attempt is
 * graded when both have finalised, and a difference above the threshold is flagged.
 */
export async function saveGrade(
  db: Executor,
  input: { attemptId: string; graderUserId: string; drill: Drill; scores: CriterionScores; comment: string; intent: GradeIntent },
  now = new Date(),
): Promise<Outcome<{ percent: number | null; attemptGraded: boolean }>> {
  const { drill } = input
  if (drill.structure.kind !== 'drafting') return { ok: false, error: 'drills.error.wrongKind' }
  const rubric = drill.structure.rubric
  const graders = drill.structure.graders
  const threshold = drill.structure.differenceThreshold
  const passMark = drill.structure.passMark
  // Every posted score must be in range, whatever the intent; a save may leave criteria blank.
  const posted = input.scores
  const known = new Set(rubric.map((c) => c.id))
  if (Object.keys(posted).some((k) => !known.has(k))) return { ok: false, error: 'drills.error.unknownCriterion' }
  const bad = outOfRange(rubric, posted).filter((id) => posted[id] !== undefined)
  if (bad.length) return { ok: false, error: 'drills.grading.outOfRange' }
  const totals = rubricTotal(rubric, posted)
  if (input.intent !== 'save' && !totals) return { ok: false, error: 'drills.grading.incomplete' }
  const at = now.toISOString()
  return db.transaction().execute(async (trx) => {
    const attempt = await getAttempt(trx, input.attemptId)
    if (!attempt || attempt.kind !== 'drafting') return { ok: false, error: 'drills.error.notFound' as MessageKey }
    if (attempt.status !== 'submitted') return { ok: false, error: 'drills.grading.notOpen' as MessageKey }
    if (attempt.user_id === input.graderUserId) return { ok: false, error: 'drills.grading.own' as MessageKey }
    const sheets = await trx.selectFrom('drill_grades').selectAll().where('attempt_id', '=', attempt.id).execute()
    const mine = sheets.find((g) => g.grader_user_id === input.graderUserId)
    if (mine?.status === 'final') return { ok: false, error: 'drills.grading.alreadyFinal' as MessageKey }
    if (!mine && sheets.length >= graders) return { ok: false, error: 'drills.grading.full' as MessageKey }
    const status = input.intent === 'finalise' ? 'final' : input.intent === 'return' ? 'returned' : 'draft'
    const row = {
      scores: JSON.stringify(posted),
      comment: input.comment || null,
      total_tenths: Math.round((totals?.total ?? 0) * 10),
      percent: totals?.percent ?? 0,
      status: status as 'draft' | 'final' | 'returned',
      updated_at: at,
    }
    if (mine) {
      await trx
        .updateTable('drill_grades')
        .set({ ...row, version: mine.version + 1 })
        .where('id', '=', mine.id)
        .where('version', '=', mine.version)
        .execute()
    } else {
      await trx
        .insertInto('drill_grades')
        .values({ id: newId(), attempt_id: attempt.id, grader_user_id: input.graderUserId, created_at: at, version: 1, ...row })
        .execute()
    }
    const bump = (values: Partial<Attempt>) =>
      trx
        .updateTable('drill_attempts')
        .set({ ...values, version: attempt.version + 1 })
        .where('id', '=', attempt.id)
        .where('version', '=', attempt.version)
        .execute()
    if (input.intent === 'return') {
      await bump({ status: 'in_progress', revision: attempt.revision + 1, submitted_at: null, last_seen_at: at })
      return { ok: true as const, value: { percent: totals?.percent ?? null, attemptGraded: false } }
    }
    if (input.intent === 'finalise') {
      const finals = [
        ...sheets.filter((g) => g.status === 'final' && g.grader_user_id !== input.graderUserId).map((g) => g.percent),
        totals!.percent,
      ]
      if (finals.length >= graders) {
        const percent = Math.round(finals.reduce((a, b) => a + b, 0) / finals.length)
        const difference = finals.length > 1 ? Math.max(...finals) - Math.min(...finals) : 0
        await bump({
          status: 'graded',
          graded_at: at,
          score: percent,
          passed: percent >= passMark ? 1 : 0,
          result: JSON.stringify({ graders: finals.length, difference, flagged: difference > threshold }),
        })
        return { ok: true as const, value: { percent, attemptGraded: true } }
      }
    }
    return { ok: true as const, value: { percent: totals?.percent ?? null, attemptGraded: false } }
  })
}

/** The graders' sheets as the author sees them: scores and comments, never who graded. */
export async function feedbackFor(db: Executor, attemptId: string) {
  const rows = await db
    .selectFrom('drill_grades')
    .select(['scores', 'comment', 'status', 'percent', 'updated_at'])
    .where('attempt_id', '=', attemptId)
    .where('status', 'in', ['final', 'returned'])
    .orderBy('updated_at', 'asc')
    .execute()
  return rows.map((r, i) => ({
    n: i + 1,
    scores: parseJson<CriterionScores>(r.scores, {}),
    comment: r.comment ?? '',
    status: r.status,
    percent: r.percent,
  }))
}

/** Scores posted as `p.<criterionId>` (points) and `c.<criterionId>` (comment); blank points are left out. */
export function gradeScoresFrom(form: FormData): CriterionScores {
  const scores: CriterionScores = {}
  for (const [key, value] of form.entries()) {
    if (typeof value !== 'string' || !key.startsWith('p.')) continue
    const id = key.slice(2)
    if (value.trim() === '') continue
    const comment = form.get(`c.${id}`)
    scores[id] = { points: Number(value), comment: typeof comment === 'string' ? comment.trim().slice(0, 1000) : '' }
  }
  return scores
}

/**
 * Recently graded double-graded submissions whose graders differ by more than the threshold,
 * within the grader's scope (as for the queue).
 */
export async function flaggedDifferences(db: Executor, drills: Map<string, Drill>, scope: ListScope) {
  const rows = await db
    .selectFrom('drill_attempts as a')
    .leftJoin('organisations as o', 'o.id', 'a.org_id')
    .select(['a.id', 'a.drill_slug', 'a.score', 'a.result', 'a.graded_at'])
    .where('a.kind', '=', 'drafting')
    .where('a.status', '=', 'graded')
    .where(scopeCondition(scope, { region: 'o.region_code' }))
    .orderBy('a.graded_at', 'desc')
    .limit(200)
    .execute()
  return rows.flatMap((r) => {
    const result = parseJson<{ flagged?: boolean; difference?: number }>(r.result, {})
    if (!result.flagged) return []
    return [
      {
        attemptId: r.id,
        reference: anonymousReference(r.id),
        title: drills.get(r.drill_slug)?.structure.title ?? r.drill_slug,
        score: r.score ?? 0,
        difference: result.difference ?? 0,
        gradedAt: r.graded_at!,
      },
    ]
  })
}
