/**
 * Training against a real database, through the real loaders and actions: completion cannot be
 * forged by posting directly (too early, failed check, never opened), a course is credited once,
 * archives are scoped, certificates verify in public with a masked name.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import * as archiveRoute from '#app/routes/_app.training.archive.$personId.tsx'
import * as exportRoute from '#app/routes/_app.training.archive.$personId[.xlsx].tsx'
import { makeRequest } from '#tests/fixtures/request.ts'
import * as certificateRoute from '#app/routes/_app.training.certificates.$number.tsx'
import * as courseRoute from '#app/routes/_app.training.courses.$courseSlug._index.tsx'
import * as moduleRoute from '#app/routes/_app.training.courses.$courseSlug.$moduleSlug.tsx'
import * as verifyRoute from '#app/routes/certificates.$number.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { buildWorld, call, serialized, type World } from '#tests/security/world.ts'
import { trainingEvidence } from './archive.server.ts'
import { loadCourse, type TrainingCourse } from './content.server.ts'
import { completeModule, recordModuleServed } from './progress.server.ts'

let world: World
let course: TrainingCourse
const COURSE = 'tiaojie-jiqiao'

/** The right answers, from the content (only the server and tests know them). */
function rightAnswers(moduleSlug: string): Record<string, string> {
  const module = course.modules.find((m) => m.slug === moduleSlug)!
  return Object.fromEntries((module.frontmatter.check?.questions ?? []).map((q) => [`answer.${q.id}`, String(q.answer)]))
}
function wrongAnswers(moduleSlug: string): Record<string, string> {
  const module = course.modules.find((m) => m.slug === moduleSlug)!
  return Object.fromEntries(
    (module.frontmatter.check?.questions ?? []).map((q) => [`answer.${q.id}`, String((q.answer + 1) % q.options.length)]),
  )
}

/** Moves the server-recorded start of reading into the past, as if the mediator had read for a while. */
async function readFor(personId: string, moduleSlug: string, minutes: number) {
  const started = new Date(Date.now() - minutes * 60_000).toISOString()
  await testDb()
    .updateTable('training_progress')
    .set({ started_at: started })
    .where('person_id', '=', personId)
    .where('course_slug', '=', COURSE)
    .where('module_slug', '=', moduleSlug)
    .execute()
}

const modulePath = (slug: string) => `/training/courses/${COURSE}/${slug}`
const params = (moduleSlug: string) => ({ courseSlug: COURSE, moduleSlug })

async function progressRow(personId: string, moduleSlug: string) {
  return testDb()
    .selectFrom('training_progress')
    .selectAll()
    .where('person_id', '=', personId)
    .where('course_slug', '=', COURSE)
    .where('module_slug', '=', moduleSlug)
    .executeTakeFirst()
}

beforeAll(async () => {
  world = await buildWorld(testDb())
  course = (await loadCourse(testDb(), COURSE))!
})

describe(`completing a module (${testDialect()})`, () => {
  it('serves the module, starts the server clock, and never sends the answer key before completion', async () => {
    const me = world.users.mediator
    const slug = course.modules[0]!.slug
    const page = await call(moduleRoute.loader, modulePath(slug), { params: params(slug), cookie: me.cookie })
    expect(page.status).toBe(200)
    const row = await progressRow(world.people.hdMediator.id, slug)
    expect(row?.started_at).toBeTruthy()
    expect(row?.completed_at).toBeNull()
    const json = serialized(page)
    expect(json).toContain('"questions"')
    expect(json).not.toContain('"answer"')
    expect(json).not.toContain('"explanation"')
    // A second visit keeps the first start.
    await call(moduleRoute.loader, modulePath(slug), { params: params(slug), cookie: me.cookie })
    expect((await progressRow(world.people.hdMediator.id, slug))?.started_at).toBe(row?.started_at)
  })

  it('refuses a completion posted too early, even with the right answers', async () => {
    const slug = course.modules[0]!.slug
    const outcome = await call(moduleRoute.action, modulePath(slug), {
      params: params(slug),
      cookie: world.users.mediator.cookie,
      form: rightAnswers(slug),
    })
    expect(outcome.status).toBe(400)
    expect(outcome.data).toMatchObject({ refused: 'tooEarly' })
    expect((await progressRow(world.people.hdMediator.id, slug))?.completed_at).toBeNull()
  })

  it('refuses a module never opened, whatever the form says', async () => {
    const slug = course.modules[1]!.slug
    const outcome = await call(moduleRoute.action, modulePath(slug), {
      params: params(slug),
      cookie: world.users.mediator.cookie,
      form: { ...rightAnswers(slug), started_at: '2020-01-01T00:00:00.000Z' },
    })
    expect(outcome.data).toMatchObject({ refused: 'notStarted' })
    expect(await progressRow(world.people.hdMediator.id, slug)).toBeUndefined()
  })

  it('refuses a failed check after the reading time, telling which answers were wrong but not the key', async () => {
    const slug = course.modules[0]!.slug
    await readFor(world.people.hdMediator.id, slug, 60)
    const outcome = await call(moduleRoute.action, modulePath(slug), {
      params: params(slug),
      cookie: world.users.mediator.cookie,
      form: wrongAnswers(slug),
    })
    expect(outcome.status).toBe(400)
    expect(outcome.data).toMatchObject({ refused: 'checkFailed' })
    expect(serialized(outcome)).not.toContain('explanation')
    const row = await progressRow(world.people.hdMediator.id, slug)
    expect(row?.completed_at).toBeNull()
    expect(row?.check_attempts).toBe(1)
    expect(row?.check_score).toBe(0)
  })

  it('completes with a passed check after the reading time; a double submit changes nothing', async () => {
    const slug = course.modules[0]!.slug
    const first = await call(moduleRoute.action, modulePath(slug), {
      params: params(slug),
      cookie: world.users.mediator.cookie,
      form: rightAnswers(slug),
    })
    expect(first.status).toBe(302)
    expect(first.location).toBe(modulePath(slug))
    const row = await progressRow(world.people.hdMediator.id, slug)
    expect(row?.completed_at).toBeTruthy()
    expect(row?.content_hash).toBe(course.modules[0]!.hash)
    const again = await call(moduleRoute.action, modulePath(slug), {
      params: params(slug),
      cookie: world.users.mediator.cookie,
      form: rightAnswers(slug),
    })
    expect(again.status).toBe(302)
    expect((await progressRow(world.people.hdMediator.id, slug))?.completed_at).toBe(row?.completed_at)
    // Once completed, the page shows the answers and explanations.
    const page = await call(moduleRoute.loader, modulePath(slug), { params: params(slug), cookie: world.users.mediator.cookie })
    expect(serialized(page)).toContain('"explanation"')
  })

  it('staff may read modules but cannot complete them', async () => {
    const slug = course.modules[0]!.slug
    const read = await call(moduleRoute.loader, modulePath(slug), { params: params(slug), cookie: world.users.hdStaff.cookie })
    expect(read.status).toBe(200)
    expect(read.data).toMatchObject({ learner: false })
    const post = await call(moduleRoute.action, modulePath(slug), {
      params: params(slug),
      cookie: world.users.hdStaff.cookie,
      form: rightAnswers(slug),
    })
    expect(post.status).toBe(403)
  })
})

describe(`crediting a course (${testDialect()})`, () => {
  it('credits the hours and issues one certificate when the last module is completed, exactly once', async () => {
    const personId = world.people.hdMediator.id
    for (const module of course.modules.slice(1)) {
      await call(moduleRoute.loader, modulePath(module.slug), { params: params(module.slug), cookie: world.users.mediator.cookie })
      await readFor(personId, module.slug, 60)
    }
    for (const module of course.modules.slice(1, -1)) {
      const done = await call(moduleRoute.action, modulePath(module.slug), {
        params: params(module.slug),
        cookie: world.users.mediator.cookie,
        form: rightAnswers(module.slug),
      })
      expect(done.status).toBe(302)
    }
    const records = () => testDb().selectFrom('training_records').selectAll().where('person_id', '=', personId).execute()
    expect(await records()).toEqual([])
    // The last module, submitted twice at once (a double click): one record, one certificate.
    const last = course.modules.at(-1)!
    const answers = Object.fromEntries(Object.entries(rightAnswers(last.slug)).map(([k, v]) => [k.replace('answer.', ''), Number(v)]))
    const outcomes = await Promise.all([
      testDb()
        .transaction()
        .execute((trx) => completeModule(trx, personId, course, last, answers, null)),
      testDb()
        .transaction()
        .execute((trx) => completeModule(trx, personId, course, last, answers, null)),
    ]).catch(async () =>
      // SQLite serialises writers; a busy error on the second is acceptable, then retry once.
      [
        await testDb()
          .transaction()
          .execute((trx) => completeModule(trx, personId, course, last, answers, null)),
      ],
    )
    expect(outcomes.some((o) => o.ok)).toBe(true)
    const rows = await records()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ source: 'online', kind: 'topic', hours_tenths: 20, course_slug: COURSE, status: 'approved' })
    const certificates = await testDb().selectFrom('training_certificates').selectAll().where('person_id', '=', personId).execute()
    expect(certificates).toHaveLength(1)
    // Posting the last module again through the route credits nothing more.
    await call(moduleRoute.action, modulePath(last.slug), {
      params: params(last.slug),
      cookie: world.users.mediator.cookie,
      form: rightAnswers(last.slug),
    })
    expect(await records()).toHaveLength(1)

    const coursePage = await call(courseRoute.loader, `/training/courses/${COURSE}`, {
      params: { courseSlug: COURSE },
      cookie: world.users.mediator.cookie,
    })
    expect(coursePage.data).toMatchObject({ progress: { done: true, percent: 100 }, certificateNumber: certificates[0]!.number })

    const evidence = await trainingEvidence(testDb(), personId)
    expect(evidence.completedCourses.map((c) => c.slug)).toEqual([COURSE])
    expect(Object.values(evidence.hoursByYear)).toEqual([2])
    expect(evidence.preServiceDone).toBe(false)
  })
})

describe(`archives and certificates (${testDialect()})`, () => {
  it('shows a mediator their own archive, and answers 404 for anyone else’s', async () => {
    const own = await call(archiveRoute.loader, '/training/archive/me', { params: { personId: 'me' }, cookie: world.users.mediator.cookie })
    expect(own.location).toBe(`/training/archive/${world.people.hdMediator.id}`)
    const mine = await call(archiveRoute.loader, '/x', {
      params: { personId: world.people.hdMediator.id },
      cookie: world.users.mediator.cookie,
    })
    expect(mine.status).toBe(200)
    expect(mine.data).toMatchObject({ years: [{ hours: 2 }] })
    const other = await call(archiveRoute.loader, '/x', {
      params: { personId: world.people.hdMediator2.id },
      cookie: world.users.mediator.cookie,
    })
    expect(other.status).toBe(404)
    expect(other.data).toBeNull()
  })

  it('exports an archive to .xlsx for those who may read it (audited), 404 for others', async () => {
    const personId = world.people.hdMediator.id
    const response = (await exportRoute.loader({
      request: makeRequest(`/training/archive/${personId}.xlsx`, { cookie: world.users.mediator.cookie }),
      params: { personId },
      context: {},
    })) as Response
    expect(response.headers.get('Content-Type')).toContain('spreadsheetml')
    expect(response.headers.get('Content-Disposition')).toContain('attachment')
    const bytes = new Uint8Array(await response.arrayBuffer())
    expect(String.fromCharCode(bytes[0]!, bytes[1]!)).toBe('PK')
    const logged = await testDb().selectFrom('audit_log').select('record_id').where('action', '=', 'training.archive_exported').execute()
    expect(logged.map((l) => l.record_id)).toContain(personId)
    const other = await call(exportRoute.loader, '/x', {
      params: { personId: world.people.hdMediator2.id },
      cookie: world.users.mediator.cookie,
    })
    expect(other.status).toBe(404)
  })

  it('lets staff in scope read an archive, and answers 404 out of scope', async () => {
    const manager = await call(archiveRoute.loader, '/x', {
      params: { personId: world.people.hdMediator.id },
      cookie: world.users.hdManager.cookie,
    })
    expect(manager.status).toBe(200)
    const otherOrg = await call(archiveRoute.loader, '/x', {
      params: { personId: world.people.hdOther.id },
      cookie: world.users.hdManager.cookie,
    })
    expect(otherOrg.status).toBe(404)
    const otherDistrict = await call(archiveRoute.loader, '/x', {
      params: { personId: world.people.hdMediator.id },
      cookie: world.users.cyStaff.cookie,
    })
    expect(otherDistrict.status).toBe(404)
    const denied = await testDb()
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'authz.out_of_scope')
      .where('record_type', '=', 'training_archive')
      .execute()
    expect(denied.length).toBeGreaterThanOrEqual(2)
  })

  it('verifies a certificate in public with a masked name, and shows revocation', async () => {
    const cert = await testDb()
      .selectFrom('training_certificates')
      .selectAll()
      .where('person_id', '=', world.people.hdMediator.id)
      .executeTakeFirstOrThrow()
    const name = world.people.hdMediator.name
    const outcome = await call(verifyRoute.loader, `/certificates/${cert.number}`, { params: { number: cert.number } })
    expect(outcome.status).toBe(200)
    expect(outcome.data).toMatchObject({ certificate: { number: cert.number, title: '调解技巧', hours: 2, status: 'valid' } })
    const json = serialized(outcome)
    expect(json).not.toContain(name)
    expect(json).not.toContain(world.people.hdMediator.id)
    expect((outcome.data as { certificate: { holder: string } }).certificate.holder.startsWith(name[0]!)).toBe(true)

    await testDb()
      .updateTable('training_certificates')
      .set({ status: 'revoked', revoked_at: new Date().toISOString() })
      .where('id', '=', cert.id)
      .execute()
    const revoked = await call(verifyRoute.loader, `/certificates/${cert.number}`, { params: { number: cert.number } })
    expect(revoked.data).toMatchObject({ certificate: { status: 'revoked' } })

    const unknown = await call(verifyRoute.loader, '/certificates/TJ-2026-00000000', { params: { number: 'TJ-2026-00000000' } })
    expect(unknown.status).toBe(404)
    expect(unknown.data).toMatchObject({ certificate: null })
  })

  it('shows the printable certificate to its holder and staff in scope only', async () => {
    const cert = await testDb()
      .selectFrom('training_certificates')
      .select('number')
      .where('person_id', '=', world.people.hdMediator.id)
      .executeTakeFirstOrThrow()
    const p = { number: cert.number }
    expect((await call(certificateRoute.loader, '/x', { params: p, cookie: world.users.mediator.cookie })).status).toBe(200)
    expect((await call(certificateRoute.loader, '/x', { params: p, cookie: world.users.hdStaff.cookie })).status).toBe(200)
    expect((await call(certificateRoute.loader, '/x', { params: p, cookie: world.users.cyStaff.cookie })).status).toBe(404)
  })

  it('keeps a completion when the module content changes later', async () => {
    const personId = world.people.hdMediator2.id
    const slug = course.modules[0]!.slug
    await recordModuleServed(testDb(), personId, COURSE, slug)
    await readFor(personId, slug, 60)
    const answers = Object.fromEntries(course.modules[0]!.frontmatter.check!.questions.map((q) => [q.id, q.answer]))
    expect(await completeModule(testDb(), personId, course, course.modules[0]!, answers, null)).toMatchObject({ ok: true })
    const changed = { ...course, modules: course.modules.map((m, i) => (i === 0 ? { ...m, hash: 'changed' } : m)) }
    expect(await completeModule(testDb(), personId, changed, changed.modules[0]!, {}, null)).toMatchObject({
      ok: true,
      alreadyCompleted: true,
    })
    expect((await progressRow(personId, slug))?.content_hash).toBe(course.modules[0]!.hash)
  })
})
