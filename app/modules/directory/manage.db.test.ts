/**
 * The signed-in pages behind the public directory, through their real loaders and actions: an
 * organisation's public information (who may edit it, version check, validation, audit) and a
 * mediator's choice of hidden fields (own record only, version check, effect on the directory).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import { todayInChina } from '#app/lib/time.ts'
import { ensureConfig } from '#app/modules/grading/configs.server.ts'
import { addDays } from '#app/modules/grading/rounds.ts'
import * as privacyPage from '#app/routes/_app.account_.directory.tsx'
import * as publicInfoPage from '#app/routes/_app.orgs.$orgId_.public-info.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { buildWorld, call, type World } from '#tests/security/world.ts'
import { listPublicMediators, listPublicOrganisations } from './directory.server.ts'

let world: World
const today = todayInChina()

async function orgVersion(id: string): Promise<number> {
  const row = await testDb().selectFrom('organisations').select('version').where('id', '=', id).executeTakeFirstOrThrow()
  return Number(row.version)
}

beforeAll(async () => {
  world = await buildWorld(testDb())
  // The world's Haidian mediator holds a grade from a finalised round, so the directory lists them.
  const db = testDb()
  const config = await ensureConfig(db, world.orgs.hdAssociation, world.users.hdAssoc.id)
  const roundId = newId()
  const now = new Date().toISOString()
  await db
    .insertInto('grading_rounds')
    .values({
      id: roundId,
      association_org_id: world.orgs.hdAssociation,
      config_id: config.id,
      title: '测试已完成评定',
      status: 'finalised',
      grade_codes: '["3"]',
      quotas: '{}',
      applications_open_on: addDays(today, -120),
      applications_close_on: addDays(today, -100),
      notice_start_on: addDays(today, -20),
      notice_end_on: addDays(today, -10),
      committee: '[]',
      created_by: world.users.hdAssoc.id,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute()
  await db
    .insertInto('mediator_grades')
    .values({
      id: newId(),
      person_id: world.people.hdMediator.id,
      association_org_id: world.orgs.hdAssociation,
      grade_code: '3',
      grade_name: '三级人民调解员',
      grade_rank: 3,
      status: 'current',
      valid_from: addDays(today, -5),
      valid_until: addDays(today, 700),
      source: 'round',
      round_id: roundId,
      application_id: null,
      change_reason: null,
      notice_start_on: null,
      notice_end_on: null,
      changed_by: null,
      changed_at: null,
      version: 1,
      created_at: now,
    })
    .execute()
})

describe(`organisation public information (${testDialect()})`, () => {
  const path = () => `/orgs/${world.orgs.hdCommittee}/public-info`
  const params = () => ({ orgId: world.orgs.hdCommittee })

  it('is open to the organisation’s manager and the region’s staff, not to others', async () => {
    expect((await call(publicInfoPage.loader, path(), { params: params(), cookie: world.users.hdManager.cookie })).status).toBe(200)
    expect((await call(publicInfoPage.loader, path(), { params: params(), cookie: world.users.hdStaff.cookie })).status).toBe(200)
    expect((await call(publicInfoPage.loader, path(), { params: params(), cookie: world.users.cyStaff.cookie })).status).toBe(404)
    expect((await call(publicInfoPage.loader, path(), { params: params(), cookie: world.users.mediator.cookie })).status).toBe(403)
    const other = `/orgs/${world.orgs.hdCommittee2}/public-info`
    expect(
      (await call(publicInfoPage.loader, other, { params: { orgId: world.orgs.hdCommittee2 }, cookie: world.users.hdManager.cookie }))
        .status,
    ).toBe(404)
  })

  it('saves services, hours and dispute types, shown in the directory and audited', async () => {
    const version = await orgVersion(world.orgs.hdCommittee)
    const saved = await call(publicInfoPage.action, path(), {
      params: params(),
      cookie: world.users.hdManager.cookie,
      form: {
        services: '  物业纠纷调解、法律咨询 ',
        openingHours: '周一至周五 9:00—17:00',
        disputeTypes: ['物业', '邻里', '物业'],
        version,
      },
    })
    expect(saved).toMatchObject({ status: 302, location: `/orgs/${world.orgs.hdCommittee}` })
    const listed = (await listPublicOrganisations(testDb(), { q: '海淀测试调委会' })).items[0]!
    expect(listed.services).toBe('物业纠纷调解、法律咨询')
    expect(listed.openingHours).toBe('周一至周五 9:00—17:00')
    expect(listed.disputeTypes.map((d) => d.code).sort()).toEqual(['物业', '邻里'].sort())
    const entry = await testDb()
      .selectFrom('audit_log')
      .select(['action', 'user_id'])
      .where('record_id', '=', world.orgs.hdCommittee)
      .where('action', '=', 'directory.org_updated')
      .executeTakeFirst()
    expect(entry).toEqual({ action: 'directory.org_updated', user_id: world.users.hdManager.id })
  })

  it('refuses a stale version and unknown dispute types, writing nothing', async () => {
    const version = await orgVersion(world.orgs.hdCommittee)
    const stale = await call(publicInfoPage.action, path(), {
      params: params(),
      cookie: world.users.hdStaff.cookie,
      form: { services: '覆盖', openingHours: '', version: version - 1 },
    })
    expect(stale.status).toBe(409)
    const unknown = await call(publicInfoPage.action, path(), {
      params: params(),
      cookie: world.users.hdStaff.cookie,
      form: { services: '覆盖', disputeTypes: ['不存在的类型'], version },
    })
    expect(unknown.status).toBe(400)
    const tooLong = await call(publicInfoPage.action, path(), {
      params: params(),
      cookie: world.users.hdStaff.cookie,
      form: { services: '长'.repeat(501), version },
    })
    expect(tooLong.status).toBe(400)
    expect(await orgVersion(world.orgs.hdCommittee)).toBe(version)
    const listed = (await listPublicOrganisations(testDb(), { q: '海淀测试调委会' })).items[0]!
    expect(listed.services).toBe('物业纠纷调解、法律咨询')
  })
})

describe(`a mediator's directory choices (${testDialect()})`, () => {
  it('shows the entry as the directory shows it, to the mediator only', async () => {
    const page = await call(privacyPage.loader, '/account/directory', { cookie: world.users.mediator.cookie })
    expect(page.data).toMatchObject({
      preferences: { hideOrg: false, hideValidUntil: false, version: 0 },
      entry: { gradeName: '三级人民调解员', orgName: '海淀测试调委会' },
    })
    expect((await call(privacyPage.loader, '/account/directory', { cookie: world.users.hdStaff.cookie })).status).toBe(403)
  })

  it('hides the organisation from the public directory once saved; a stale form changes nothing', async () => {
    const saved = await call(privacyPage.action, '/account/directory', {
      cookie: world.users.mediator.cookie,
      form: { hideOrg: 'on', version: 0 },
    })
    expect(saved.status).toBe(302)
    const entry = (await listPublicMediators(testDb(), { q: world.people.hdMediator.name })).items[0]!
    expect(entry.orgName).toBeNull()
    expect(entry.validUntil).toBe(addDays(today, 700))
    // A second tab still holding version 0 is told to reload.
    const stale = await call(privacyPage.action, '/account/directory', { cookie: world.users.mediator.cookie, form: { version: 0 } })
    expect(stale.status).toBe(409)
    expect((await listPublicMediators(testDb(), { q: world.people.hdMediator.name })).items[0]!.orgName).toBeNull()
    const undo = await call(privacyPage.action, '/account/directory', { cookie: world.users.mediator.cookie, form: { version: 1 } })
    expect(undo.status).toBe(302)
    expect((await listPublicMediators(testDb(), { q: world.people.hdMediator.name })).items[0]!.orgName).toBe('海淀测试调委会')
  })
})
