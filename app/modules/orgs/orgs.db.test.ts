import { beforeAll, describe, expect, it } from 'vitest'
import * as editRoute from '#app/routes/_app.orgs.$orgId.edit.tsx'
import * as detailRoute from '#app/routes/_app.orgs.$orgId.tsx'
import * as listRoute from '#app/routes/_app.orgs._index.tsx'
import * as newRoute from '#app/routes/_app.orgs.new.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { createOrganisation } from '#tests/fixtures/factories.ts'
import { type World, type WorldUser, buildWorld, call } from '#tests/security/world.ts'

let world: World
let cyBureau: string
let hdBureau: string

beforeAll(async () => {
  world = await buildWorld(testDb())
  cyBureau = (await createOrganisation(testDb(), { name: '朝阳区司法局', kind: 'justice_bureau', region_code: '110105' })).id
  hdBureau = (await createOrganisation(testDb(), { name: '海淀区司法局', kind: 'justice_bureau', region_code: '110108' })).id
})

const cookie = (user: WorldUser) => world.users[user].cookie

async function listIds(user: WorldUser, query = ''): Promise<string[]> {
  const outcome = await call(listRoute.loader, `/orgs${query}`, { cookie: cookie(user) })
  expect(outcome.status).toBe(200)
  const data = outcome.data as { rows: { id: string }[]; total: number }
  expect(data.total).toBe(data.rows.length)
  return data.rows.map((r) => r.id).sort()
}

async function outOfScopeBy(userId: string, recordId: string) {
  return testDb()
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'authz.out_of_scope')
    .where('user_id', '=', userId)
    .where('record_id', '=', recordId)
    .execute()
}

describe(`organisation list scope (${testDialect()})`, () => {
  it('shows bureau staff and association admins their region subtree', async () => {
    const { hdCommittee, hdCommittee2, cyCommittee, hdAssociation } = world.orgs
    const haidian = [hdCommittee, hdCommittee2, hdAssociation, hdBureau].sort()
    expect(await listIds('hdStaff')).toEqual(haidian)
    expect(await listIds('hdAssoc')).toEqual(haidian)
    expect(await listIds('cyStaff')).toEqual([cyCommittee, cyBureau].sort())
    expect(await listIds('bjStaff')).toEqual([...haidian, cyCommittee, cyBureau].sort())
  })

  it('limits an organisation manager to their organisation and refuses mediators', async () => {
    expect(await listIds('hdManager')).toEqual([world.orgs.hdCommittee])
    for (const user of ['mediator', 'expert', 'auditor', 'noGrants'] as const) {
      expect((await call(listRoute.loader, '/orgs', { cookie: cookie(user) })).status, user).toBe(403)
    }
  })

  it('filters by kind, name, region and status, sorts and pages on the server', async () => {
    expect(await listIds('bjStaff', '?kind=association')).toEqual([world.orgs.hdAssociation])
    expect(await listIds('bjStaff', `?q=${encodeURIComponent('第二')}`)).toEqual([world.orgs.hdCommittee2])
    expect(await listIds('bjStaff', '?region=110105')).toEqual([world.orgs.cyCommittee, cyBureau].sort())
    expect(await listIds('bjStaff', '?status=dissolved')).toEqual([])
    const page = await call(listRoute.loader, '/orgs?sort=name&dir=desc&size=20&page=1', { cookie: cookie('bjStaff') })
    const names = (page.data as { rows: { name: string }[] }).rows.map((r) => r.name)
    expect(names).toEqual([...names].sort().reverse())
    const beyond = await call(listRoute.loader, '/orgs?page=2', { cookie: cookie('bjStaff') })
    expect(beyond.data).toMatchObject({ rows: [], total: 6 })
  })

  it('offers only regions in scope in the region filter', async () => {
    const outcome = await call(listRoute.loader, '/orgs', { cookie: cookie('hdManager') })
    expect((outcome.data as { regions: { code: string }[] }).regions.map((r) => r.code)).toEqual(['110108'])
  })
})

describe(`organisation page (${testDialect()})`, () => {
  it('answers 404 to Haidian staff opening a Chaoyang organisation, and logs it', async () => {
    const target = world.orgs.cyCommittee
    const outcome = await call(detailRoute.loader, `/orgs/${target}`, { cookie: cookie('hdStaff'), params: { orgId: target } })
    expect(outcome.status).toBe(404)
    expect(await outOfScopeBy(world.users.hdStaff.id, target)).toHaveLength(1)
  })

  it('answers 404 to an organisation manager opening another organisation, 403 to a mediator', async () => {
    const target = world.orgs.hdCommittee2
    expect((await call(detailRoute.loader, `/orgs/${target}`, { cookie: cookie('hdManager'), params: { orgId: target } })).status).toBe(404)
    expect((await call(detailRoute.loader, `/orgs/${target}`, { cookie: cookie('mediator'), params: { orgId: target } })).status).toBe(403)
  })

  it('shows the organisation with its mediator count and what the user may do', async () => {
    const target = world.orgs.hdCommittee
    const staff = await call(detailRoute.loader, `/orgs/${target}`, { cookie: cookie('hdStaff'), params: { orgId: target } })
    expect(staff.data).toMatchObject({
      org: {
        id: target,
        name: '海淀测试调委会',
        kind: 'committee_village',
        regionName: '海淀区',
        mediatorCount: 2,
        activeMediatorCount: 2,
      },
      canEdit: true,
      canViewPeople: true,
    })
    const manager = await call(detailRoute.loader, `/orgs/${target}`, { cookie: cookie('hdManager'), params: { orgId: target } })
    expect(manager.data).toMatchObject({ canEdit: false, canViewPeople: true })
  })
})

describe(`creating an organisation (${testDialect()})`, () => {
  const create = (user: WorldUser, values: Record<string, string>) =>
    call(newRoute.action, '/orgs/new', { cookie: cookie(user), form: values })

  it('creates it in the user’s region, audited with the values', async () => {
    const outcome = await create('hdStaff', {
      name: '海淀新调委会',
      kind: 'committee_township',
      regionCode: '110108011',
      parentId: hdBureau,
    })
    expect(outcome.status).toBe(302)
    const id = outcome.location!.split('/').pop()!
    const row = await testDb().selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      name: '海淀新调委会',
      kind: 'committee_township',
      region_code: '110108011',
      parent_id: hdBureau,
      status: 'active',
      version: 1,
    })
    const audit = await testDb()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'org.create')
      .where('record_id', '=', id)
      .executeTakeFirstOrThrow()
    expect(audit.user_id).toBe(world.users.hdStaff.id)
    expect(JSON.parse(audit.detail!)).toMatchObject({ after: { name: '海淀新调委会', region_code: '110108011' } })
  })

  it('refuses a region outside the scope even when the form is tampered with, and logs it', async () => {
    const outcome = await create('hdStaff', { name: '越权调委会', kind: 'committee_village', regionCode: '110105' })
    expect(outcome.status).toBe(400)
    expect(outcome.data).toMatchObject({ error: { regionCode: ['orgs.error.regionOutOfScope'] }, initialValue: { name: '越权调委会' } })
    expect(await testDb().selectFrom('organisations').select('id').where('name', '=', '越权调委会').execute()).toEqual([])
    expect(await outOfScopeBy(world.users.hdStaff.id, '110105')).toHaveLength(1)
    const page = await call(newRoute.loader, '/orgs/new', { cookie: cookie('hdStaff') })
    const regions = (page.data as { options: { regions: { code: string }[] } }).options.regions.map((r) => r.code)
    expect(regions).toContain('110108011')
    expect(regions).not.toContain('110105')
  })

  it('needs a sector for sector committees and a visible supervising body', async () => {
    const noSector = await create('hdStaff', { name: '医调委', kind: 'committee_sector', regionCode: '110108' })
    expect(noSector.data).toMatchObject({ error: { sectorCode: ['orgs.error.sectorRequired'] } })
    const foreignParent = await create('hdStaff', { name: '某调委会', kind: 'committee_village', regionCode: '110108', parentId: cyBureau })
    expect(foreignParent.data).toMatchObject({ error: { parentId: ['orgs.error.parentInvalid'] } })
    const sector = await create('hdStaff', { name: '海淀医调委', kind: 'committee_sector', sectorCode: '医疗', regionCode: '110108' })
    expect(sector.status).toBe(302)
  })

  it('is refused to roles without org:edit', async () => {
    for (const user of ['hdAssoc', 'hdManager', 'mediator', 'auditor'] as const) {
      expect((await call(newRoute.loader, '/orgs/new', { cookie: cookie(user) })).status, user).toBe(403)
      expect((await create(user, { name: 'x', kind: 'studio', regionCode: '110108' })).status, user).toBe(403)
    }
  })
})

describe(`editing an organisation (${testDialect()})`, () => {
  async function current(id: string) {
    return testDb().selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  }
  function editForm(row: Awaited<ReturnType<typeof current>>, overrides: Record<string, string> = {}) {
    return { name: row.name, kind: row.kind, regionCode: row.region_code, status: row.status, version: String(row.version), ...overrides }
  }
  const edit = (user: WorldUser, id: string, values: Record<string, string>) =>
    call(editRoute.action, `/orgs/${id}/edit`, { cookie: cookie(user), params: { orgId: id }, form: values })

  it('saves, moves the organisation’s people with a region change, and audits before and after', async () => {
    const id = world.orgs.hdCommittee2
    const before = await current(id)
    const outcome = await edit('hdStaff', id, editForm(before, { regionCode: '110108010', address: '学院路 1 号' }))
    expect(outcome.status).toBe(302)
    expect(await current(id)).toMatchObject({ region_code: '110108010', address: '学院路 1 号', version: before.version + 1 })
    const person = await testDb()
      .selectFrom('people')
      .select('region_code')
      .where('id', '=', world.people.hdOther.id)
      .executeTakeFirstOrThrow()
    expect(person.region_code).toBe('110108010')
    const audit = await testDb()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'org.update')
      .where('record_id', '=', id)
      .executeTakeFirstOrThrow()
    expect(JSON.parse(audit.detail!)).toEqual({
      before: { region_code: '110108', address: null },
      after: { region_code: '110108010', address: '学院路 1 号' },
    })
  })

  it('keeps a supervising body above the user’s scope when the edit leaves it alone', async () => {
    const city = (await createOrganisation(testDb(), { name: '北京市司法局', kind: 'justice_bureau', region_code: '110000' })).id
    const district = (
      await createOrganisation(testDb(), { name: '海淀区某司法所', kind: 'justice_office', region_code: '110108', parent_id: city })
    ).id
    const page = await call(editRoute.loader, `/orgs/${district}/edit`, { cookie: cookie('hdStaff'), params: { orgId: district } })
    const parents = (page.data as { options: { parents: { value: string }[] } }).options.parents.map((p) => p.value)
    expect(parents).toContain(city)
    const row = await current(district)
    expect((await edit('hdStaff', district, editForm(row, { parentId: city, name: '海淀区某司法所（改）' }))).status).toBe(302)
    expect(await current(district)).toMatchObject({ parent_id: city, name: '海淀区某司法所（改）' })
    // Choosing that body for another organisation is still refused: it is outside the scope.
    const other = await current(world.orgs.hdCommittee)
    const refused = await edit('hdStaff', other.id, editForm(other, { parentId: city }))
    expect(refused.data).toMatchObject({ error: { parentId: ['orgs.error.parentInvalid'] } })
  })

  it('refuses a stale version and overwrites nothing', async () => {
    const id = world.orgs.hdAssociation
    const before = await current(id)
    expect((await edit('hdStaff', id, editForm(before, { name: '第一次保存' }))).status).toBe(302)
    const stale = await edit('bjStaff', id, editForm(before, { name: '第二次保存' }))
    expect(stale.status).toBe(409)
    expect(stale.data).toMatchObject({ error: { '': ['form.staleVersion'] } })
    expect(await current(id)).toMatchObject({ name: '第一次保存', version: before.version + 1 })
  })

  it('answers 404 outside the scope and refuses a supervising body below the organisation itself', async () => {
    const cy = world.orgs.cyCommittee
    expect((await call(editRoute.loader, `/orgs/${cy}/edit`, { cookie: cookie('hdStaff'), params: { orgId: cy } })).status).toBe(404)
    expect((await edit('hdStaff', cy, editForm(await current(cy), { name: 'x' }))).status).toBe(404)
    expect((await current(cy)).name).toBe('朝阳测试调委会')

    const office = (
      await createOrganisation(testDb(), { name: '海淀某司法所', kind: 'justice_office', region_code: '110108', parent_id: hdBureau })
    ).id
    const cycle = await edit('hdStaff', hdBureau, editForm(await current(hdBureau), { parentId: office }))
    expect(cycle.data).toMatchObject({ error: { parentId: ['orgs.error.parentInvalid'] } })
  })
})
