/** Offline sessions and attendance through the real routes: scope, one record per mediator, hours in the archive. */
import { beforeAll, describe, expect, it } from 'vitest'
import * as sessionRoute from '#app/routes/_app.training.sessions.$sessionId.tsx'
import * as listRoute from '#app/routes/_app.training.sessions._index.tsx'
import * as newRoute from '#app/routes/_app.training.sessions.new.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { buildWorld, call, HAIDIAN, type World } from '#tests/security/world.ts'
import { trainingEvidence } from './archive.server.ts'

let world: World
let sessionId: string

async function cardOf(personId: string): Promise<string> {
  const existing = await testDb().selectFrom('mediators').select('card_number').where('person_id', '=', personId).executeTakeFirstOrThrow()
  if (existing.card_number) return existing.card_number
  const card = `T${personId.slice(-10)}`
  await testDb().updateTable('mediators').set({ card_number: card }).where('person_id', '=', personId).execute()
  return card
}

const SESSION_FORM = {
  title: '2026年海淀区人民调解员岗前培训班',
  kind: 'pre_service',
  format: 'classroom',
  organiser: '海淀区司法局',
  organiserLevel: 'district',
  regionCode: HAIDIAN,
  startDate: '2026-03-02',
  endDate: '2026-03-06',
  hours: '24',
  trainer: '',
  location: '区司法局三楼会议室',
}

beforeAll(async () => {
  world = await buildWorld(testDb())
})

describe(`offline training sessions (${testDialect()})`, () => {
  it('lets an organisation manager record a session in their scope, and refuses a region outside it', async () => {
    const bad = await call(newRoute.action, '/training/sessions/new', {
      cookie: world.users.hdManager.cookie,
      form: { ...SESSION_FORM, regionCode: '110105' },
    })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.data)).toContain('validation.choice')
    const wrongDates = await call(newRoute.action, '/training/sessions/new', {
      cookie: world.users.hdManager.cookie,
      form: { ...SESSION_FORM, endDate: '2026-03-01' },
    })
    expect(JSON.stringify(wrongDates.data)).toContain('training.session.endBeforeStart')

    const created = await call(newRoute.action, '/training/sessions/new', { cookie: world.users.hdManager.cookie, form: SESSION_FORM })
    expect(created.status).toBe(302)
    sessionId = created.location!.split('/').at(-1)!
    const row = await testDb().selectFrom('training_sessions').selectAll().where('id', '=', sessionId).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ org_id: world.orgs.hdCommittee, region_code: HAIDIAN, hours_tenths: 240, kind: 'pre_service' })
  })

  it('records attendance one by one, once per mediator, only for mediators in scope', async () => {
    const path = `/training/sessions/${sessionId}`
    const params = { sessionId }
    const ok = await call(sessionRoute.action, path, {
      params,
      cookie: world.users.hdManager.cookie,
      form: { intent: 'attend', cardNumber: await cardOf(world.people.hdMediator2.id), assessment: '合格' },
    })
    expect(ok.status).toBe(302)
    const twice = await call(sessionRoute.action, path, {
      params,
      cookie: world.users.hdManager.cookie,
      form: { intent: 'attend', cardNumber: await cardOf(world.people.hdMediator2.id) },
    })
    expect(JSON.stringify(twice.data)).toContain('training.session.alreadyRecorded')
    const foreign = await call(sessionRoute.action, path, {
      params,
      cookie: world.users.hdManager.cookie,
      form: { intent: 'attend', cardNumber: await cardOf(world.people.cyMediator.id) },
    })
    expect(JSON.stringify(foreign.data)).toContain('training.session.unknownCard')
    const unknown = await call(sessionRoute.action, path, {
      params,
      cookie: world.users.hdManager.cookie,
      form: { intent: 'attend', cardNumber: 'NO-SUCH-CARD' },
    })
    expect(JSON.stringify(unknown.data)).toContain('training.session.unknownCard')

    const records = await testDb().selectFrom('training_records').selectAll().where('session_id', '=', sessionId).execute()
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({
      person_id: world.people.hdMediator2.id,
      source: 'offline',
      hours_tenths: 240,
      year: 2026,
      assessment: '合格',
    })
    const evidence = await trainingEvidence(testDb(), world.people.hdMediator2.id)
    expect(evidence.preServiceDone).toBe(true)
    expect(evidence.hoursByYear[2026]).toBe(24)

    const page = await call(sessionRoute.loader, path, { params, cookie: world.users.hdManager.cookie })
    expect(page.data).toMatchObject({
      session: { attendees: 1 },
      attendees: [{ personId: world.people.hdMediator2.id, assessment: '合格' }],
    })
    expect(JSON.stringify(page.data)).not.toContain('regionPath')
  })

  it('keeps sessions within scope: others get 404, mediators 403', async () => {
    const params = { sessionId }
    expect((await call(sessionRoute.loader, '/x', { params, cookie: world.users.hdStaff.cookie })).status).toBe(200)
    expect((await call(sessionRoute.loader, '/x', { params, cookie: world.users.cyStaff.cookie })).status).toBe(404)
    expect((await call(sessionRoute.loader, '/x', { params, cookie: world.users.mediator.cookie })).status).toBe(403)
    const cyList = await call(listRoute.loader, '/training/sessions', { cookie: world.users.cyStaff.cookie })
    expect((cyList.data as { sessions: unknown[] }).sessions).toEqual([])
    const hdList = await call(listRoute.loader, '/training/sessions', { cookie: world.users.hdStaff.cookie })
    expect((hdList.data as { sessions: { id: string }[] }).sessions.map((s) => s.id)).toContain(sessionId)
  })
})
