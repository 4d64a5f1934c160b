/**
 * Drill events (练兵比武): scheduling stays within the organiser's scope, attempts start and submit
 * only inside the window, and the leaderboard hides names of people from other organisations.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { createUser } from '#tests/fixtures/factories.ts'
import { buildWorld, call, cookieFor, HAIDIAN, CHAOYANG, serialized, type World } from '#tests/security/world.ts'
import * as attemptRoute from '#app/routes/_app.drills.$slug.attempts.$attemptId.tsx'
import * as listRoute from '#app/routes/_app.drills._index.tsx'
import * as eventRoute from '#app/routes/_app.drills.events.$eventId.tsx'
import * as eventsRoute from '#app/routes/_app.drills.events._index.tsx'

const QUIZ = 'quiz-renmin-tiaojie-fa'
const SCENARIO = 'scenario-linli-loushui'

let world: World

beforeAll(async () => {
  world = await buildWorld(testDb())
})

const local = (offsetMinutes: number) => {
  // datetime-local in Beijing time.
  const d = new Date(Date.now() + offsetMinutes * 60_000 + 8 * 3600_000)
  return d.toISOString().slice(0, 16)
}

async function schedule(cookie: string, target: string, from = -60, to = 60) {
  const form = new URLSearchParams({ title: '海淀区调解员岗位练兵', target, startsAt: local(from), endsAt: local(to) })
  form.append('slugs', SCENARIO)
  return call(eventsRoute.action, '/drills/events', { cookie, form })
}

describe(`drill events (${testDialect()})`, () => {
  it('staff schedule events only within their scope', async () => {
    const outside = await schedule(world.users.hdStaff.cookie, `region:${CHAOYANG}`)
    expect(outside.status).toBe(400)
    expect(outside.data).toEqual({ error: 'drills.events.targetOutOfScope' })
    expect(await testDb().selectFrom('drill_events').selectAll().execute()).toEqual([])
    expect((await call(eventsRoute.loader, '/drills/events', { cookie: world.users.mediator.cookie })).status).toBe(403)
    const ok = await schedule(world.users.hdStaff.cookie, `region:${HAIDIAN}`)
    expect(ok.status).toBe(302)
    expect(ok.location).toMatch(/^\/drills\/events\/[0-9A-Z]{26}$/)
  })

  it('participants see the event, take part within the window; names outside their organisation are hidden', async () => {
    const db = testDb()
    const event = await db.selectFrom('drill_events').selectAll().executeTakeFirstOrThrow()
    const path = `/drills/events/${event.id}`
    const params = { eventId: event.id }
    // The Haidian mediator sees it on the drills page; the Chaoyang mediator is not included.
    expect(serialized(await call(listRoute.loader, '/drills', { cookie: world.users.mediator.cookie }))).toContain(event.id)
    const cy = await createUser(db, { username: 't.cy.med', roles: [{ role: 'mediator' }], personId: world.people.cyMediator.id })
    const cyCookie = await cookieFor(cy.user.id)
    expect((await call(eventRoute.loader, path, { params, cookie: cyCookie })).status).toBe(404)

    // Two Haidian mediators from different committees walk the scenario in the event.
    const other = await createUser(db, { username: 't.hd.other', roles: [{ role: 'mediator' }], personId: world.people.hdOther.id })
    const otherCookie = await cookieFor(other.user.id)
    for (const cookie of [world.users.mediator.cookie, otherCookie]) {
      const started = await call(eventRoute.action, path, { params, cookie, form: { slug: SCENARIO } })
      expect(started.status).toBe(302)
      const attemptId = started.location!.split('/').at(-1)!
      for (let i = 0; i < 20; i++) {
        const row = await db
          .selectFrom('drill_attempts')
          .select(['status', 'event_id'])
          .where('id', '=', attemptId)
          .executeTakeFirstOrThrow()
        expect(row.event_id).toBe(event.id)
        if (row.status !== 'in_progress') break
        await call(attemptRoute.action, `/drills/${SCENARIO}/attempts/${attemptId}`, {
          params: { slug: SCENARIO, attemptId },
          cookie,
          form: { intent: 'choose', choice: 'a' },
        })
      }
    }
    const board = await call(eventRoute.loader, path, { params, cookie: world.users.mediator.cookie })
    const results = (
      board.data as { results: { persons: { name: string | null; self: boolean; total: number }[]; orgs: { orgName: string }[] } }
    ).results
    expect(results.persons).toHaveLength(2)
    expect(results.persons.find((p) => p.self)?.name).toBe(world.people.hdMediator.name)
    expect(results.persons.find((p) => !p.self)?.name).toBeNull()
    expect(serialized(board)).not.toContain(world.people.hdOther.name)
    expect(results.orgs.map((o) => o.orgName).sort()).toEqual(['海淀测试调委会', '海淀第二调委会'].sort())
    // Staff who manage the event see every name.
    const staffView = serialized(await call(eventRoute.loader, path, { params, cookie: world.users.hdStaff.cookie }))
    expect(staffView).toContain(world.people.hdOther.name)
  })

  it('refuses to start or submit outside the window', async () => {
    const db = testDb()
    const closed = await schedule(world.users.hdStaff.cookie, `org:${world.orgs.hdCommittee}`, 60, 120)
    const eventId = closed.location!.split('/').at(-1)!
    const early = await call(eventRoute.action, `/drills/events/${eventId}`, {
      params: { eventId },
      cookie: world.users.mediator.cookie,
      form: { slug: SCENARIO },
    })
    expect(early.location).toBe(`/drills/events/${eventId}`)
    expect(await db.selectFrom('drill_attempts').select('id').where('event_id', '=', eventId).execute()).toEqual([])

    // Open it, start the quiz... (the event has only the scenario; use a fresh event with the quiz)
    const form = new URLSearchParams({
      title: '限时测试',
      target: `org:${world.orgs.hdCommittee}`,
      startsAt: local(-10),
      endsAt: local(10),
    })
    form.append('slugs', QUIZ)
    const open = await call(eventsRoute.action, '/drills/events', { cookie: world.users.hdStaff.cookie, form })
    const openId = open.location!.split('/').at(-1)!
    const started = await call(eventRoute.action, `/drills/events/${openId}`, {
      params: { eventId: openId },
      cookie: world.users.mediator.cookie,
      form: { slug: QUIZ },
    })
    const attemptId = started.location!.split('/').at(-1)!
    const row = await db.selectFrom('drill_attempts').selectAll().where('id', '=', attemptId).executeTakeFirstOrThrow()
    // The deadline is the earlier of the quiz's time limit (30 min) and the window's end (10 min).
    const end = await db.selectFrom('drill_events').select('ends_at').where('id', '=', openId).executeTakeFirstOrThrow()
    expect(row.deadline_at).toBe(end.ends_at)
    // The window closes: the submission is refused and nothing changes.
    await db
      .updateTable('drill_attempts')
      .set({ deadline_at: new Date(Date.now() - 60_000).toISOString() })
      .where('id', '=', attemptId)
      .execute()
    const before = await db.selectFrom('drill_attempts').selectAll().where('id', '=', attemptId).executeTakeFirstOrThrow()
    const late = await call(attemptRoute.action, `/drills/${QUIZ}/attempts/${attemptId}`, {
      params: { slug: QUIZ, attemptId },
      cookie: world.users.mediator.cookie,
      form: { intent: 'submit' },
    })
    expect(late.data).toEqual({ error: 'drills.error.windowClosed' })
    expect(await db.selectFrom('drill_attempts').selectAll().where('id', '=', attemptId).executeTakeFirstOrThrow()).toEqual(before)
  })
})
