/**
 * A module whose end-of-module check is a drills quiz (gangqian-peixun/04-tiaojie-juanzong →
 * quiz-chengxu-juanzong): it completes only after the same person passes that quiz in an attempt
 * started after the module was opened, through the real module route.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import * as moduleRoute from '#app/routes/_app.training.courses.$courseSlug.$moduleSlug.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { buildWorld, call, type World } from '#tests/security/world.ts'
import { loadCourse, type TrainingModule } from './content.server.ts'

const COURSE = 'gangqian-peixun'
const QUIZ = 'quiz-chengxu-juanzong'
let world: World
let module: TrainingModule

beforeAll(async () => {
  world = await buildWorld(testDb())
  const course = (await loadCourse(testDb(), COURSE))!
  module = course.modules.find((m) => m.frontmatter.quizCheck === QUIZ)!
})

const path = () => `/training/courses/${COURSE}/${module.slug}`
const params = () => ({ courseSlug: COURSE, moduleSlug: module.slug })
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString()

async function attempt(personId: string, startedAt: string, passed: boolean, attemptNo: number) {
  await testDb()
    .insertInto('drill_attempts')
    .values({
      id: newId(),
      drill_slug: QUIZ,
      kind: 'quiz',
      person_id: personId,
      user_id: world.users.mediator.id,
      event_id: null,
      org_id: null,
      region_code: null,
      attempt_no: attemptNo,
      status: 'graded',
      revision: 0,
      seed: 'seed',
      items: '[]',
      answers: '{}',
      result: null,
      score: passed ? 80 : 40,
      passed: passed ? 1 : 0,
      started_at: startedAt,
      last_seen_at: startedAt,
      deadline_at: null,
      submitted_at: startedAt,
      graded_at: startedAt,
      time_spent_seconds: 300,
      version: 1,
    })
    .execute()
}

const complete = () =>
  call(moduleRoute.action, path(), { cookie: world.users.mediator.cookie, form: { intent: 'complete' }, params: params() })
const completedAt = async () =>
  (
    await testDb()
      .selectFrom('training_progress')
      .select('completed_at')
      .where('person_id', '=', world.people.hdMediator.id)
      .where('module_slug', '=', module.slug)
      .executeTakeFirst()
  )?.completed_at ?? null

describe(`a drills quiz as a module's check (${testDialect()})`, () => {
  it('ships a module whose check is the drills quiz', () => {
    expect(module.frontmatter.quizCheck).toBe(QUIZ)
    expect(module.frontmatter.check).toBeUndefined()
  })

  it('refuses completion until the same person passes the quiz after starting the module', async () => {
    const me = world.people.hdMediator.id
    // A pass from before the module was opened, someone else's pass, and a fail: none count.
    await attempt(me, minutesAgo(120), true, 1)
    await attempt(world.people.hdMediator2.id, minutesAgo(10), true, 1)
    const page = await call(moduleRoute.loader, path(), { cookie: world.users.mediator.cookie, params: params() })
    expect(page.data).toMatchObject({ quiz: { slug: QUIZ, passed: null } })
    // Read long enough (by the server's record of when the module was first served).
    await testDb()
      .updateTable('training_progress')
      .set({ started_at: minutesAgo(60) })
      .where('person_id', '=', me)
      .execute()
    await attempt(me, minutesAgo(30), false, 2)
    const refused = await complete()
    expect(refused.status).toBe(400)
    expect(refused.data).toMatchObject({ refused: 'quizNotPassed' })
    expect(await completedAt()).toBeNull()

    await attempt(me, minutesAgo(20), true, 3)
    const shown = await call(moduleRoute.loader, path(), { cookie: world.users.mediator.cookie, params: params() })
    expect(shown.data).toMatchObject({ quiz: { passed: { score: 80 } } })
    const done = await complete()
    expect(done.status).toBe(302)
    expect(await completedAt()).not.toBeNull()
  })
})
