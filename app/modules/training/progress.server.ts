/**
 * Module progress and course completion. The server records when it first served a module and
 * decides completion itself (reading time by its own clock, the check graded against the answer
 * key in the content); a course is credited once, by the unique completion key.
 */
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import type { Executor } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import { readSettings } from '#app/lib/settings.server.ts'
import { nowIso, todayInChina } from '#app/lib/time.ts'
import type { TrainingCourse, TrainingModule } from './content.server.ts'
import {
  certificateNumber,
  type CheckResult,
  type CompletionRefusal,
  decideCompletion,
  courseProgress,
  minimumReadingSeconds,
  toTenths,
} from './rules.ts'
import { TRAINING_SETTINGS } from './settings.server.ts'

export interface ModuleState {
  startedAt: string | null
  completedAt: string | null
  checkAttempts: number
  checkScore: number | null
}

/** Records that the server served the module now (first time only; later visits update last_seen_at). */
export async function recordModuleServed(
  db: Executor,
  personId: string,
  courseSlug: string,
  moduleSlug: string,
  now = nowIso(),
): Promise<ModuleState> {
  const updated = await db
    .updateTable('training_progress')
    .set({ last_seen_at: now })
    .where('person_id', '=', personId)
    .where('course_slug', '=', courseSlug)
    .where('module_slug', '=', moduleSlug)
    .executeTakeFirst()
  if (Number(updated.numUpdatedRows) === 0) {
    try {
      await db
        .insertInto('training_progress')
        .values({
          id: newId(),
          person_id: personId,
          course_slug: courseSlug,
          module_slug: moduleSlug,
          started_at: now,
          last_seen_at: now,
          check_attempts: 0,
        })
        .execute()
    } catch (error) {
      // Two tabs opened at once: the other insert won, and its started_at stands.
      if (!isUniqueViolation(error, ['training_progress', 'uq_training_progress_module'])) throw error
    }
  }
  return (await getModuleState(db, personId, courseSlug, moduleSlug))!
}

export async function getModuleState(db: Executor, personId: string, courseSlug: string, moduleSlug: string): Promise<ModuleState | null> {
  const row = await db
    .selectFrom('training_progress')
    .select(['started_at', 'completed_at', 'check_attempts', 'check_score'])
    .where('person_id', '=', personId)
    .where('course_slug', '=', courseSlug)
    .where('module_slug', '=', moduleSlug)
    .executeTakeFirst()
  return row
    ? { startedAt: row.started_at, completedAt: row.completed_at, checkAttempts: row.check_attempts, checkScore: row.check_score }
    : null
}

/** Module slugs completed in a course, by person. */
export async function completedModules(db: Executor, personId: string, courseSlug: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('training_progress')
    .select('module_slug')
    .where('person_id', '=', personId)
    .where('course_slug', '=', courseSlug)
    .where('completed_at', 'is not', null)
    .execute()
  return new Set(rows.map((r) => r.module_slug))
}

/** Completed module slugs for every course of a person, for the catalogue. */
export async function completedByCourse(db: Executor, personId: string): Promise<Map<string, Set<string>>> {
  const rows = await db
    .selectFrom('training_progress')
    .select(['course_slug', 'module_slug'])
    .where('person_id', '=', personId)
    .where('completed_at', 'is not', null)
    .execute()
  const map = new Map<string, Set<string>>()
  for (const r of rows) {
    if (!map.has(r.course_slug)) map.set(r.course_slug, new Set())
    map.get(r.course_slug)!.add(r.module_slug)
  }
  return map
}

/** The module the person opened most recently and has not completed ("continue where I left off"). */
export async function lastOpenModule(db: Executor, personId: string): Promise<{ courseSlug: string; moduleSlug: string } | null> {
  const row = await db
    .selectFrom('training_progress')
    .select(['course_slug', 'module_slug'])
    .where('person_id', '=', personId)
    .where('completed_at', 'is', null)
    .orderBy('last_seen_at', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ? { courseSlug: row.course_slug, moduleSlug: row.module_slug } : null
}

/**
 * The person's first passed, graded attempt at a drills quiz started at or after `since` (the
 * module's start by the server's clock), or null: a quiz passed before opening the module, or by
 * anyone else, does not complete it.
 */
export async function passedQuizSince(
  db: Executor,
  personId: string,
  drillSlug: string,
  since: string,
): Promise<{ submittedAt: string; score: number | null } | null> {
  const row = await db
    .selectFrom('drill_attempts')
    .select(['submitted_at', 'score'])
    .where('person_id', '=', personId)
    .where('drill_slug', '=', drillSlug)
    .where('kind', '=', 'quiz')
    .where('status', '=', 'graded')
    .where('passed', '=', 1)
    .where('started_at', '>=', since)
    .orderBy('submitted_at')
    .limit(1)
    .executeTakeFirst()
  return row ? { submittedAt: row.submitted_at ?? since, score: row.score } : null
}

export async function minimumSecondsFor(db: Executor, module: TrainingModule): Promise<number> {
  const { readingFactor } = await readSettings(db, TRAINING_SETTINGS)
  return minimumReadingSeconds(module.frontmatter.estimatedMinutes, readingFactor)
}

export type CompletionOutcome =
  | { ok: true; alreadyCompleted: boolean; check: CheckResult | null; courseCompleted: boolean; certificateNumber: string | null }
  | { ok: false; reason: CompletionRefusal; check: CheckResult | null; secondsLeft?: number }

/**
 * Completes a module for a person if the rules allow it, and credits the course when this was its
 * last module. Safe to call twice: the second call changes nothing and credits nothing.
 */
export async function completeModule(
  db: Executor,
  personId: string,
  course: TrainingCourse,
  module: TrainingModule,
  answers: Record<string, number | undefined>,
  actorUserId: string | null,
  now = nowIso(),
): Promise<CompletionOutcome> {
  const state = await getModuleState(db, personId, course.slug, module.slug)
  if (state?.completedAt) return { ok: true, alreadyCompleted: true, check: null, courseCompleted: false, certificateNumber: null }
  const quiz = module.frontmatter.quizCheck
  const decision = decideCompletion({
    startedAt: state?.startedAt ?? null,
    now,
    minimumSeconds: await minimumSecondsFor(db, module),
    check: module.frontmatter.check,
    answers,
    quizPassed: quiz ? !!state?.startedAt && (await passedQuizSince(db, personId, quiz, state.startedAt)) !== null : undefined,
  })
  if (!decision.ok) {
    if (decision.check) {
      await db
        .updateTable('training_progress')
        .set((eb) => ({ check_attempts: eb('check_attempts', '+', 1), check_score: decision.check!.score }))
        .where('person_id', '=', personId)
        .where('course_slug', '=', course.slug)
        .where('module_slug', '=', module.slug)
        .execute()
    }
    return decision
  }
  // Only the request that flips completed_at from null completes the module (double submit safe).
  const updated = await db
    .updateTable('training_progress')
    .set((eb) => ({
      completed_at: now,
      content_hash: module.hash,
      check_attempts: decision.check ? eb('check_attempts', '+', 1) : eb.ref('check_attempts'),
      check_score: decision.check?.score ?? null,
    }))
    .where('person_id', '=', personId)
    .where('course_slug', '=', course.slug)
    .where('module_slug', '=', module.slug)
    .where('completed_at', 'is', null)
    .executeTakeFirst()
  if (Number(updated.numUpdatedRows) === 0)
    return { ok: true, alreadyCompleted: true, check: decision.check, courseCompleted: false, certificateNumber: null }
  const credited = await creditCourseIfComplete(db, personId, course, actorUserId, now)
  return { ok: true, alreadyCompleted: false, check: decision.check, courseCompleted: credited !== null, certificateNumber: credited }
}

/**
 * When every current module of the course is completed, writes the archive record and its
 * certificate (once: the completion key is unique). Returns the new certificate number, or null.
 */
export async function creditCourseIfComplete(
  db: Executor,
  personId: string,
  course: TrainingCourse,
  actorUserId: string | null,
  now = nowIso(),
): Promise<string | null> {
  const done = await completedModules(db, personId, course.slug)
  if (
    !courseProgress(
      course.modules.map((m) => m.slug),
      done,
    ).done
  )
    return null
  const recordId = newId()
  const today = todayInChina(new Date(now))
  const hoursTenths = toTenths(course.frontmatter.hours)
  try {
    await db
      .insertInto('training_records')
      .values({
        id: recordId,
        person_id: personId,
        source: 'online',
        completion_key: `online:${personId}:${course.slug}`,
        course_slug: course.slug,
        title: course.frontmatter.title,
        kind: course.frontmatter.kind,
        format: 'online',
        organiser: null,
        hours_tenths: hoursTenths,
        year: Number(today.slice(0, 4)),
        completed_on: today,
        assessment: null,
        status: 'approved',
        created_at: now,
        created_by: actorUserId,
      })
      .execute()
  } catch (error) {
    if (isUniqueViolation(error, ['training_records', 'uq_training_records_completion'])) return null
    throw error
  }
  for (let attempt = 0; ; attempt++) {
    const number = certificateNumber(Number(today.slice(0, 4)))
    try {
      await db
        .insertInto('training_certificates')
        .values({
          id: newId(),
          number,
          person_id: personId,
          record_id: recordId,
          title: course.frontmatter.title,
          hours_tenths: hoursTenths,
          issued_on: today,
          status: 'valid',
          revoked_at: null,
          revoked_reason: null,
          created_at: now,
        })
        .execute()
      return number
    } catch (error) {
      if (attempt < 3 && isUniqueViolation(error, ['training_certificates.number', 'uq_training_certificates_number'])) continue
      throw error
    }
  }
}

/** The certificate number of a person's completion of a course, if any. */
export async function certificateForCourse(db: Executor, personId: string, courseSlug: string): Promise<string | null> {
  const row = await db
    .selectFrom('training_records as r')
    .innerJoin('training_certificates as c', 'c.record_id', 'r.id')
    .select('c.number')
    .where('r.completion_key', '=', `online:${personId}:${courseSlug}`)
    .executeTakeFirst()
  return row?.number ?? null
}
