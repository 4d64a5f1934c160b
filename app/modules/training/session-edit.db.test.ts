/**
 * Editing and deleting offline sessions and annual plans through the real routes: version
 * conflicts caught, scope checked, attendees' records follow a corrected session, a session with
 * credited attendance cannot be deleted until its attendees are removed, all audited.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import * as plansRoute from '#app/routes/_app.training.plans.tsx'
import * as planRoute from '#app/routes/_app.training.plans_.$planId.tsx'
import * as sessionRoute from '#app/routes/_app.training.sessions.$sessionId.tsx'
import * as editRoute from '#app/routes/_app.training.sessions.$sessionId_.edit.tsx'
import * as newRoute from '#app/routes/_app.training.sessions.new.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { buildWorld, call, HAIDIAN, type World } from '#tests/security/world.ts'
import { hoursPerYear } from './archive.server.ts'

let world: World

const SESSION = {
  title: '海淀区调解技巧培训班',
  kind: 'topic',
  format: 'classroom',
  organiser: '海淀区司法局',
  organiserLevel: 'district',
  regionCode: HAIDIAN,
  startDate: '2026-04-01',
  endDate: '2026-04-02',
  hours: '8',
  trainer: '',
  location: '',
}

beforeAll(async () => {
  world = await buildWorld(testDb())
})

const session = (id: string) => testDb().selectFrom('training_sessions').selectAll().where('id', '=', id).executeTakeFirst()
/** The changes audited on a record (the denied attempts are audited too, as authz.*). */
const auditActions = async (id: string) =>
  (
    await testDb()
      .selectFrom('audit_log')
      .select('action')
      .where('record_id', '=', id)
      .where('action', 'like', 'training.%')
      .orderBy('at')
      .orderBy('id')
      .execute()
  ).map((a) => a.action)

async function newSession(cookie = world.users.hdStaff.cookie): Promise<string> {
  const created = await call(newRoute.action, '/training/sessions/new', { cookie, form: SESSION })
  return created.location!.split('/').pop()!
}

describe(`editing and deleting sessions (${testDialect()})`, () => {
  it('saves corrections with a version check, and attendees’ credited hours follow', async () => {
    const id = await newSession()
    await testDb().updateTable('mediators').set({ card_number: 'EDIT0001' }).where('person_id', '=', world.people.hdMediator.id).execute()
    const attended = await call(sessionRoute.action, `/training/sessions/${id}`, {
      cookie: world.users.hdStaff.cookie,
      form: { intent: 'attend', cardNumber: 'EDIT0001' },
      params: { sessionId: id },
    })
    expect(attended.status).toBe(302)
    expect((await hoursPerYear(testDb(), world.people.hdMediator.id)).find((y) => y.year === 2026)?.hours).toBe(8)

    const edit = (form: Record<string, string>, cookie = world.users.hdStaff.cookie) =>
      call(editRoute.action, `/training/sessions/${id}/edit`, { cookie, form, params: { sessionId: id } })
    const { regionCode: _r, ...fields } = SESSION
    const saved = await edit({ ...fields, intent: 'save', version: '1', hours: '6', title: '海淀区调解技巧培训班（更正）' })
    expect(saved.location).toBe(`/training/sessions/${id}`)
    expect(await session(id)).toMatchObject({ hours_tenths: 60, version: 2 })
    const record = await testDb().selectFrom('training_records').selectAll().where('session_id', '=', id).executeTakeFirstOrThrow()
    expect(record).toMatchObject({ hours_tenths: 60, title: '海淀区调解技巧培训班（更正）' })
    expect((await hoursPerYear(testDb(), world.people.hdMediator.id)).find((y) => y.year === 2026)?.hours).toBe(6)

    // A second editor who loaded version 1 is stopped, with their input kept and nothing overwritten.
    const stale = await edit({ ...fields, intent: 'save', version: '1', hours: '12' })
    expect(stale.status).toBe(409)
    expect(JSON.stringify(stale.data)).toContain('form.staleVersion')
    expect(JSON.stringify(stale.data)).toContain('"12"')
    expect((await session(id))?.hours_tenths).toBe(60)
    // Out of scope: 404, and nothing changes.
    expect((await edit({ ...fields, intent: 'save', version: '2', hours: '1' }, world.users.cyStaff.cookie)).status).toBe(404)
    expect((await edit({ ...fields, intent: 'save', version: '2', endDate: '2026-03-01' })).status).toBe(400)

    // Deleting is refused while attendance (credited hours) exists.
    await edit({ intent: 'delete', version: '2' })
    expect(await session(id)).toBeDefined()
    // Removing the attendance recorded by mistake, then deleting the now empty session.
    const removed = await call(sessionRoute.action, `/training/sessions/${id}`, {
      cookie: world.users.hdStaff.cookie,
      form: { intent: 'remove', recordId: record.id },
      params: { sessionId: id },
    })
    expect(removed.status).toBe(302)
    expect((await hoursPerYear(testDb(), world.people.hdMediator.id)).find((y) => y.year === 2026)).toBeUndefined()
    await edit({ intent: 'delete', version: '1' })
    expect(await session(id)).toBeDefined()
    const deleted = await edit({ intent: 'delete', version: '2' })
    expect(deleted.location).toBe('/training/sessions')
    expect(await session(id)).toBeUndefined()
    expect(await auditActions(id)).toEqual([
      'training.session_created',
      'training.attendance_recorded',
      'training.session_updated',
      'training.attendance_removed',
      'training.session_deleted',
    ])
  })
})

describe(`editing and deleting plans (${testDialect()})`, () => {
  it('changes requirements with a version check, deletes, in scope only, audited', async () => {
    const form = { year: '2027', regionCode: HAIDIAN, fullTimeHours: '40', partTimeHours: '20', sectorHours: '30', preServiceMonths: '3' }
    await call(plansRoute.action, '/training/plans', { cookie: world.users.hdStaff.cookie, form })
    const plan = await testDb().selectFrom('training_plans').selectAll().where('year', '=', 2027).executeTakeFirstOrThrow()
    const post = (body: Record<string, string>, cookie = world.users.hdStaff.cookie) =>
      call(planRoute.action, `/training/plans/${plan.id}`, { cookie, form: body, params: { planId: plan.id } })
    const change = { intent: 'save', fullTimeHours: '48', partTimeHours: '24', sectorHours: '30', preServiceMonths: '6' }
    expect((await post({ ...change, version: '1' }, world.users.cyStaff.cookie)).status).toBe(404)
    expect((await post({ ...change, version: '1' }, world.users.mediator.cookie)).status).toBe(403)
    expect((await post({ ...change, version: '1' })).location).toBe('/training/plans')
    const after = await testDb().selectFrom('training_plans').selectAll().where('id', '=', plan.id).executeTakeFirstOrThrow()
    expect(after).toMatchObject({ full_time_tenths: 480, part_time_tenths: 240, pre_service_months: 6, version: 2 })
    const stale = await post({ ...change, fullTimeHours: '10', version: '1' })
    expect(stale.status).toBe(409)
    expect((await post({ ...change, fullTimeHours: '1.25', version: '2' })).status).toBe(400)
    await post({ intent: 'delete', version: '1' })
    expect(await testDb().selectFrom('training_plans').select('id').where('id', '=', plan.id).executeTakeFirst()).toBeDefined()
    expect((await post({ intent: 'delete', version: '2' })).location).toBe('/training/plans')
    expect(await testDb().selectFrom('training_plans').select('id').where('id', '=', plan.id).executeTakeFirst()).toBeUndefined()
    expect(await auditActions(plan.id)).toEqual(['training.plan_created', 'training.plan_updated', 'training.plan_deleted'])
    const denied = await testDb()
      .selectFrom('audit_log')
      .select('action')
      .where('record_id', '=', plan.id)
      .where('result', '=', 'denied')
      .execute()
    expect(denied.map((d) => d.action)).toEqual(['authz.out_of_scope'])
  })
})
