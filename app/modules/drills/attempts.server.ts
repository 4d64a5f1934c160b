/**
 * Attempts at drills: start, save, resume, submit, and the results that come out of them.
 * Quizzes and scenarios are graded here, on the server, from content the browser never sees
 * before submission. Every refusal is a message key and leaves the database as it was.
 */
import { randomBytes } from 'node:crypto'
import type { Selectable } from 'kysely'
import type { DrillAttemptTable } from '#db/schema.ts'
import type { Executor } from '#app/lib/db.server.ts'
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import { newId } from '#app/lib/ids.ts'
import type { Drill } from './content.server.ts'
import { MAX_DRAFT_CHARS, checkAnswerIds, type QuizAnswers, drawItems, scoreQuiz, scoreScenario, walkScenario } from './model.ts'

export type Attempt = Selectable<DrillAttemptTable>
export type Outcome<T = undefined> = { ok: true; value: T } | { ok: false; error: MessageKey }

/** Time between two server contacts counts as time spent, up to this much (a tab left open does not). */
const MAX_GAP_SECONDS = 600
/** Grace after a time limit for the request in flight. */
const LATE_GRACE_MS = 30_000

const fail = (error: MessageKey): { ok: false; error: MessageKey } => ({ ok: false, error })

function spent(attempt: Pick<Attempt, 'last_seen_at' | 'time_spent_seconds'>, now: Date): number {
  const gap = Math.max(0, Math.round((now.getTime() - Date.parse(attempt.last_seen_at)) / 1000))
  return attempt.time_spent_seconds + Math.min(gap, MAX_GAP_SECONDS)
}

export function isExpired(attempt: Pick<Attempt, 'status' | 'deadline_at'>, now = new Date()): boolean {
  return attempt.status === 'in_progress' && !!attempt.deadline_at && now.getTime() > Date.parse(attempt.deadline_at) + LATE_GRACE_MS
}

export function parseJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback
  try {
    return JSON.parse(text) as T
  } catch {
    return fallback
  }
}

export async function getAttempt(db: Executor, id: string): Promise<Attempt | null> {
  return (await db.selectFrom('drill_attempts').selectAll().where('id', '=', id).executeTakeFirst()) ?? null
}

export async function attemptsOf(db: Executor, personId: string, slug?: string): Promise<Attempt[]> {
  let query = db.selectFrom('drill_attempts').selectAll().where('person_id', '=', personId)
  if (slug) query = query.where('drill_slug', '=', slug)
  return query.orderBy('attempt_no', 'asc').execute()
}

/** Resumes the open attempt, or starts the next one within the drill's limit. */
export interface EventWindow {
  id: string
  startsAt: string
  endsAt: string
}

/**
 * Practice attempts and each event's attempts are counted separately against the drill's limit.
 * An event attempt can start only inside the event's window, and its deadline is the window's end.
 */
export async function startAttempt(
  db: Executor,
  drill: Drill,
  who: { personId: string; userId: string },
  now = new Date(),
  event: EventWindow | null = null,
): Promise<Outcome<{ id: string; resumed: boolean }>> {
  if (event && (now.toISOString() < event.startsAt || now.toISOString() > event.endsAt)) return fail('drills.error.windowClosed')
  const all = await attemptsOf(db, who.personId, drill.slug)
  const existing = all.filter((a) => a.event_id === (event?.id ?? null))
  const open = existing.find((a) => a.status === 'in_progress' && !isExpired(a, now))
  if (open) return { ok: true, value: { id: open.id, resumed: true } }
  if (existing.length >= drill.structure.maxAttempts) return fail('drills.error.limit')
  const person = await db.selectFrom('people').select(['org_id', 'region_code']).where('id', '=', who.personId).executeTakeFirst()
  const seed = randomBytes(12).toString('hex')
  const timeLimit =
    drill.structure.kind === 'quiz' && drill.structure.timeLimitMinutes
      ? new Date(now.getTime() + drill.structure.timeLimitMinutes * 60_000).toISOString()
      : null
  const deadline = [timeLimit, event?.endsAt ?? null].filter((d): d is string => !!d).sort()[0] ?? null
  const structure = drill.structure
  const id = newId()
  const at = now.toISOString()
  try {
    await db
      .insertInto('drill_attempts')
      .values({
        id,
        drill_slug: drill.slug,
        kind: structure.kind,
        person_id: who.personId,
        user_id: who.userId,
        org_id: person?.org_id ?? null,
        region_code: person?.region_code ?? null,
        event_id: event?.id ?? null,
        attempt_no: all.length + 1,
        status: 'in_progress',
        revision: 0,
        seed,
        items: structure.kind === 'quiz' ? JSON.stringify(drawItems(structure, seed)) : null,
        answers: structure.kind === 'quiz' ? '{}' : structure.kind === 'scenario' ? '[]' : JSON.stringify({ text: '' }),
        result: null,
        score: null,
        passed: null,
        started_at: at,
        last_seen_at: at,
        deadline_at: deadline,
        submitted_at: null,
        graded_at: null,
        time_spent_seconds: 0,
        version: 1,
      })
      .execute()
  } catch (error) {
    // A double click: the other request created this attempt number; resume it.
    if (!isUniqueViolation(error, ['drill_attempts', 'uq_drill_attempts_no'])) throw error
    const raced = (await attemptsOf(db, who.personId, drill.slug)).find(
      (a) => a.status === 'in_progress' && a.event_id === (event?.id ?? null),
    )
    if (!raced) return fail('drills.error.limit')
    return { ok: true, value: { id: raced.id, resumed: true } }
  }
  return { ok: true, value: { id, resumed: false } }
}

function openCheck(attempt: Attempt, now: Date): { ok: false; error: MessageKey } | null {
  if (attempt.status !== 'in_progress') return fail('drills.error.alreadySubmitted')
  if (isExpired(attempt, now)) return fail(attempt.event_id ? 'drills.error.windowClosed' : 'drills.error.late')
  return null
}

/**
 * Writes only while the attempt is still open (status and version both as read), so a second
 * submit, or a save racing a submit, changes nothing.
 */
async function guardedUpdate(db: Executor, attempt: Attempt, values: Partial<Attempt>): Promise<boolean> {
  const result = await db
    .updateTable('drill_attempts')
    .set({ ...values, version: attempt.version + 1 })
    .where('id', '=', attempt.id)
    .where('status', '=', 'in_progress')
    .where('version', '=', attempt.version)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Answers posted as `a.<itemId>` fields; refuses answers to items not in the attempt. */
export function quizAnswersFrom(form: FormData): QuizAnswers {
  const answers: QuizAnswers = {}
  for (const [key, value] of form.entries()) {
    if (!key.startsWith('a.') || typeof value !== 'string') continue
    const itemId = key.slice(2)
    const list = answers[itemId] ?? []
    list.push(value.slice(0, 500))
    answers[itemId] = list
  }
  return answers
}

export async function saveQuiz(
  db: Executor,
  attempt: Attempt,
  drill: Drill,
  answers: QuizAnswers,
  submit: boolean,
  now = new Date(),
): Promise<Outcome> {
  const closed = openCheck(attempt, now)
  if (closed) return closed
  if (drill.structure.kind !== 'quiz') return fail('drills.error.wrongKind')
  const itemIds = parseJson<string[]>(attempt.items, [])
  if (checkAnswerIds(itemIds, answers)) return fail('drills.error.unknownItem')
  const at = now.toISOString()
  const values: Partial<Attempt> = { answers: JSON.stringify(answers), last_seen_at: at, time_spent_seconds: spent(attempt, now) }
  if (submit) {
    const result = scoreQuiz(drill.structure, itemIds, answers)
    Object.assign(values, {
      status: 'graded',
      submitted_at: at,
      graded_at: at,
      score: result.percent,
      passed: result.passed ? 1 : 0,
      result: JSON.stringify({ correct: result.correct, points: result.score, maxPoints: result.maxScore }),
    })
  }
  return (await guardedUpdate(db, attempt, values)) ? { ok: true, value: undefined } : fail('drills.error.alreadySubmitted')
}

/** One step of a scenario; reaching an end node grades the walk. */
export async function chooseInScenario(
  db: Executor,
  attempt: Attempt,
  drill: Drill,
  choiceId: string,
  now = new Date(),
): Promise<Outcome<{ ended: boolean }>> {
  const closed = openCheck(attempt, now)
  if (closed) return closed
  if (drill.structure.kind !== 'scenario') return fail('drills.error.wrongKind')
  const path = [...parseJson<string[]>(attempt.answers, []), choiceId]
  const walk = walkScenario(drill.structure, path)
  if (!walk) return fail('drills.error.unknownChoice')
  const at = now.toISOString()
  const values: Partial<Attempt> = { answers: JSON.stringify(path), last_seen_at: at, time_spent_seconds: spent(attempt, now) }
  if (walk.ended) {
    const result = scoreScenario(drill.structure, path)!
    Object.assign(values, {
      status: 'graded',
      submitted_at: at,
      graded_at: at,
      score: result.percent,
      passed: result.passed ? 1 : 0,
      result: JSON.stringify({ end: walk.node.id, techniques: walk.techniques, points: result.score, maxPoints: result.maxScore }),
    })
  }
  return (await guardedUpdate(db, attempt, values)) ? { ok: true, value: { ended: walk.ended } } : fail('drills.error.alreadySubmitted')
}

export async function saveDraft(
  db: Executor,
  attempt: Attempt,
  drill: Drill,
  text: string,
  submit: boolean,
  now = new Date(),
): Promise<Outcome> {
  const closed = openCheck(attempt, now)
  if (closed) return closed
  if (drill.structure.kind !== 'drafting') return fail('drills.error.wrongKind')
  if (text.length > MAX_DRAFT_CHARS) return fail('drills.error.tooLong')
  if (submit && text.trim().length < 50) return fail('drills.error.tooShort')
  const at = now.toISOString()
  const values: Partial<Attempt> = { answers: JSON.stringify({ text }), last_seen_at: at, time_spent_seconds: spent(attempt, now) }
  if (submit) Object.assign(values, { status: 'submitted', submitted_at: at })
  const ok = await db.transaction().execute(async (trx) => {
    if (!(await guardedUpdate(trx, attempt, values))) return false
    // A resubmission after "return for revision": the graders' returned sheets become drafts again.
    if (submit)
      await trx
        .updateTable('drill_grades')
        .set({ status: 'draft', updated_at: at })
        .where('attempt_id', '=', attempt.id)
        .where('status', '=', 'returned')
        .execute()
    return true
  })
  return ok ? { ok: true, value: undefined } : fail('drills.error.alreadySubmitted')
}

// ---------------------------------------------------------------------------------------------
// Results

export interface DrillSummary {
  slug: string
  attempts: number
  best: number | null
  latest: number | null
  passed: boolean
  completedAt: string | null
  timeSpentSeconds: number
}

function summarise(slug: string, attempts: Attempt[]): DrillSummary {
  const graded = attempts.filter((a) => a.status === 'graded' && a.score !== null)
  const latest = [...graded].sort((a, b) => (b.graded_at ?? '').localeCompare(a.graded_at ?? ''))[0]
  return {
    slug,
    attempts: attempts.length,
    best: graded.length ? Math.max(...graded.map((a) => a.score!)) : null,
    latest: latest?.score ?? null,
    passed: graded.some((a) => a.passed === 1),
    completedAt: latest?.graded_at ?? null,
    timeSpentSeconds: attempts.reduce((sum, a) => sum + a.time_spent_seconds, 0),
  }
}

export async function summariesOf(db: Executor, personId: string): Promise<Map<string, DrillSummary>> {
  const bySlug = new Map<string, Attempt[]>()
  for (const attempt of await attemptsOf(db, personId)) {
    const list = bySlug.get(attempt.drill_slug) ?? []
    list.push(attempt)
    bySlug.set(attempt.drill_slug, list)
  }
  return new Map([...bySlug].map(([slug, list]) => [slug, summarise(slug, list)]))
}

/** Evidence for grading (评优/考核): best score per drill and counts. */
export async function drillEvidence(db: Executor, personId: string) {
  const summaries = [...(await summariesOf(db, personId)).values()]
  return {
    drills: summaries.map(({ slug, attempts, best, latest, passed }) => ({ slug, attempts, best, latest, passed })),
    attempted: summaries.length,
    completed: summaries.filter((s) => s.best !== null).length,
    passed: summaries.filter((s) => s.passed).length,
  }
}

/** Completed drills for the training archive: the first passing (or graded) result per drill. */
export async function completedDrills(db: Executor, personId: string, drills: Map<string, Drill>) {
  return [...(await summariesOf(db, personId)).values()]
    .filter((s) => s.best !== null)
    .map((s) => {
      const drill = drills.get(s.slug)
      return {
        slug: s.slug,
        title: drill?.structure.title ?? s.slug,
        kind: drill?.structure.kind ?? null,
        best: s.best!,
        passed: s.passed,
        completedAt: s.completedAt!,
        creditHours: s.passed ? (drill?.structure.creditHours ?? 0) : 0,
      }
    })
}
