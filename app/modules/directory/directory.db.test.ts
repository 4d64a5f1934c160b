/**
 * The public directory's queries against a real database: only what may be public comes out
 * (listed kinds, finished 公示 grades, configured expert fields, hidden fields stay hidden), and
 * region, type and text filters, keyset pages and the pages' loaders behave.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import { writeSetting } from '#app/lib/settings.server.ts'
import { todayInChina } from '#app/lib/time.ts'
import { ensureConfig } from '#app/modules/grading/configs.server.ts'
import { addDays } from '#app/modules/grading/rounds.ts'
import * as expertsPage from '#app/routes/directory.experts.tsx'
import * as mediatorsPage from '#app/routes/directory.mediators.tsx'
import * as orgsPage from '#app/routes/directory._index.tsx'
import type { MediatorGradeStatus } from '#db/schema.ts'
import { createMediator, createOrganisation, createPerson, createUser } from '#db/seed/factories.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { makeRequest } from '#tests/fixtures/request.ts'
import { directoryHeaders } from './headers.ts'
import { listPublicExperts, listPublicMediators, listPublicOrganisations, publicMediatorEntry } from './directory.server.ts'
import { DIRECTORY_SETTINGS } from './settings.server.ts'

const HAIDIAN = '110108'
const CHAOYANG = '110105'
const today = todayInChina()

const ids: Record<string, string> = {}
let configId = ''
let userId = ''

async function round(associationId: string, status: 'finalised' | 'notice'): Promise<string> {
  const id = newId()
  const now = new Date().toISOString()
  await testDb()
    .insertInto('grading_rounds')
    .values({
      id,
      association_org_id: associationId,
      config_id: configId,
      title: `测试评定 ${id}`,
      status,
      grade_codes: '["2","3"]',
      quotas: '{}',
      applications_open_on: addDays(today, -120),
      applications_close_on: addDays(today, -100),
      notice_start_on: addDays(today, -20),
      notice_end_on: status === 'finalised' ? addDays(today, -10) : addDays(today, 3),
      committee: '[]',
      created_by: userId,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute()
  return id
}

async function grade(
  personId: string,
  associationId: string,
  options: {
    roundId?: string | null
    source?: 'round' | 'demotion' | 'import'
    status?: MediatorGradeStatus
    name?: string
    rank?: number
    validUntil?: string
    changedAt?: string | null
    noticeEndOn?: string | null
  },
): Promise<string> {
  const id = newId()
  await testDb()
    .insertInto('mediator_grades')
    .values({
      id,
      person_id: personId,
      association_org_id: associationId,
      grade_code: String(options.rank ?? 3),
      grade_name: options.name ?? '三级人民调解员',
      grade_rank: options.rank ?? 3,
      status: options.status ?? 'current',
      valid_from: addDays(today, -5),
      valid_until: options.validUntil ?? addDays(today, 700),
      source: options.source ?? 'round',
      round_id: options.roundId ?? null,
      application_id: null,
      change_reason: options.source === 'demotion' || options.status === 'demoted' ? '测试' : null,
      notice_start_on: options.noticeEndOn ? addDays(options.noticeEndOn, -7) : null,
      notice_end_on: options.noticeEndOn ?? null,
      changed_by: null,
      changed_at: options.changedAt ?? null,
      version: 1,
      created_at: new Date().toISOString(),
    })
    .execute()
  return id
}

async function mediator(key: string, name: string, orgId: string, status: 'active' | 'inactive' = 'active'): Promise<string> {
  const created = await createMediator(testDb(), { org_id: orgId, status, person: { name } })
  ids[key] = created.mediator.person_id
  return created.mediator.person_id
}

async function expert(
  key: string,
  name: string,
  options: { status?: 'active' | 'retired'; termEnd?: string; employer?: string; domains?: string[] },
) {
  const person = await createPerson(testDb(), { name, region_code: HAIDIAN })
  const now = new Date().toISOString()
  await testDb()
    .insertInto('experts')
    .values({
      person_id: person.id,
      name,
      tier: 'district',
      region_code: HAIDIAN,
      appointing_org_id: null,
      employer: options.employer ?? '测试律师事务所',
      employer_org_id: null,
      title: '律师',
      professions: '["lawyer"]',
      languages: '["zh"]',
      bio: null,
      photo_file: null,
      photo_type: null,
      term_start: addDays(today, -100),
      term_end: options.termEnd ?? addDays(today, 500),
      status: options.status ?? 'active',
      max_concurrent_cases: 3,
      contact_preference: 'via_office',
      contact_note: null,
      version: 1,
      created_at: now,
      updated_at: now,
      created_by: null,
    })
    .execute()
  for (const [i, code] of (options.domains ?? []).entries()) {
    await testDb()
      .insertInto('expert_domains')
      .values({ expert_id: person.id, dispute_type_code: code, role: i === 0 ? 'primary' : 'secondary' })
      .execute()
  }
  ids[key] = person.id
}

beforeAll(async () => {
  const db = testDb()
  const hdAssoc = await createOrganisation(db, { kind: 'association', region_code: HAIDIAN, name: '测试海淀区人民调解协会' })
  const cyAssoc = await createOrganisation(db, { kind: 'association', region_code: CHAOYANG, name: '测试朝阳区人民调解协会' })
  ids.hdAssoc = hdAssoc.id
  ids.cyAssoc = cyAssoc.id
  ids.hdCommittee = (
    await createOrganisation(db, {
      kind: 'committee_township',
      region_code: HAIDIAN,
      name: '测试甲街道人民调解委员会',
      address: '北京市海淀区测试路 1 号',
      contact_phone: '010-62345678',
      services: '受理物业和邻里纠纷调解',
      opening_hours: '周一至周五 9:00—17:00',
    })
  ).id
  ids.cyCommittee = (
    await createOrganisation(db, {
      kind: 'committee_village',
      region_code: CHAOYANG,
      name: '测试乙社区人民调解委员会',
      contact_phone: '138 1234 5678',
    })
  ).id
  ids.medical = (
    await createOrganisation(db, {
      kind: 'committee_sector',
      sector_code: '医疗',
      region_code: CHAOYANG,
      name: '测试丙医疗纠纷人民调解委员会',
    })
  ).id
  ids.bureau = (await createOrganisation(db, { kind: 'justice_bureau', region_code: HAIDIAN, name: '测试海淀区司法局' })).id
  ids.dissolved = (
    await createOrganisation(db, { kind: 'committee_village', status: 'dissolved', region_code: HAIDIAN, name: '测试丁已撤销调解委员会' })
  ).id
  await db.insertInto('organisation_dispute_types').values({ org_id: ids.hdCommittee, dispute_type_code: '物业' }).execute()

  userId = (await createUser(db, { username: `dir.assoc.${newId().slice(-6)}`, displayName: '测试协会管理员', roles: [] })).user.id
  configId = (await ensureConfig(db, hdAssoc.id, userId)).id
  const finalised = await round(hdAssoc.id, 'finalised')
  const inNotice = await round(hdAssoc.id, 'notice')

  await grade(await mediator('listed', '测试甲调解员', ids.hdCommittee), hdAssoc.id, {
    roundId: finalised,
    rank: 2,
    name: '二级人民调解员',
  })
  await grade(await mediator('inNotice', '测试乙调解员', ids.hdCommittee), hdAssoc.id, { roundId: inNotice })
  await mediator('ungraded', '测试丙调解员', ids.hdCommittee)
  await grade(await mediator('expired', '测试丁调解员', ids.hdCommittee), hdAssoc.id, {
    roundId: finalised,
    validUntil: addDays(today, -1),
  })
  const hider = await mediator('hider', '测试戊调解员', ids.cyCommittee)
  await grade(hider, hdAssoc.id, { roundId: finalised })
  await db
    .insertInto('directory_mediator_preferences')
    .values({ person_id: hider, hide_org: 1, hide_valid_until: 1, version: 1, updated_at: new Date().toISOString() })
    .execute()
  await grade(await mediator('imported', '测试己调解员', ids.hdCommittee), hdAssoc.id, { source: 'import' })
  await grade(await mediator('inactive', '测试庚调解员', ids.hdCommittee, 'inactive'), hdAssoc.id, { roundId: finalised })
  // Demotions: the lower grade is public once the demotion's own notice has ended.
  const changedAt = '2026-01-02T03:04:05.000Z'
  const demoted = await mediator('demoted', '测试辛调解员', ids.hdCommittee)
  await grade(demoted, hdAssoc.id, { roundId: finalised, status: 'demoted', rank: 2, changedAt, noticeEndOn: addDays(today, -2) })
  await grade(demoted, hdAssoc.id, { source: 'demotion', rank: 4, name: '四级人民调解员', changedAt })
  const changedAt2 = '2026-01-03T03:04:05.000Z'
  const demoting = await mediator('demoting', '测试壬调解员', ids.hdCommittee)
  await grade(demoting, hdAssoc.id, {
    roundId: finalised,
    status: 'demoted',
    rank: 2,
    changedAt: changedAt2,
    noticeEndOn: addDays(today, 5),
  })
  await grade(demoting, hdAssoc.id, { source: 'demotion', rank: 4, name: '四级人民调解员', changedAt: changedAt2 })

  await expert('inOffice', '测试专家甲', { employer: '北京测试大学法学院', domains: ['医疗', '物业'] })
  await expert('retired', '测试专家乙', { status: 'retired' })
  await expert('termEnded', '测试专家丙', { termEnd: addDays(today, -1) })
})

describe(`public directory: organisations (${testDialect()})`, () => {
  it('lists active mediation organisations only: no bureaus, no dissolved ones', async () => {
    const { items } = await listPublicOrganisations(testDb(), { q: '测试', limit: 100 })
    const names = items.map((o) => o.name)
    expect(names).toContain('测试甲街道人民调解委员会')
    expect(names).toContain('测试海淀区人民调解协会')
    expect(names).not.toContain('测试海淀区司法局')
    expect(names).not.toContain('测试丁已撤销调解委员会')
  })

  it('publishes the office line and public information, never a mobile number', async () => {
    const { items } = await listPublicOrganisations(testDb(), { q: '测试', limit: 100 })
    const haidian = items.find((o) => o.id === ids.hdCommittee)!
    expect(haidian).toMatchObject({
      officePhone: '010-62345678',
      services: '受理物业和邻里纠纷调解',
      openingHours: '周一至周五 9:00—17:00',
      regionName: '海淀区',
      disputeTypes: [{ code: '物业', nameZh: '物业' }],
    })
    expect(items.find((o) => o.id === ids.cyCommittee)!.officePhone).toBeNull()
    expect(JSON.stringify(items)).not.toMatch(/1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}/)
  })

  it('filters by region subtree, kind, sector and dispute type', async () => {
    const db = testDb()
    const inChaoyang = await listPublicOrganisations(db, { q: '测试', region: CHAOYANG, limit: 100 })
    expect(inChaoyang.items.map((o) => o.id).sort()).toEqual([ids.cyAssoc, ids.cyCommittee, ids.medical].sort())
    const inBeijing = await listPublicOrganisations(db, { q: '测试', region: '110000', withTotal: true })
    expect(inBeijing.total).toBe(5)
    expect((await listPublicOrganisations(db, { q: '测试', kind: 'association' })).items.map((o) => o.id).sort()).toEqual(
      [ids.hdAssoc, ids.cyAssoc].sort(),
    )
    expect((await listPublicOrganisations(db, { sector: '医疗' })).items.map((o) => o.id)).toEqual([ids.medical])
    // A dispute type matches the organisations that list it and the sector committees of that sector.
    expect((await listPublicOrganisations(db, { disputeType: '物业' })).items.map((o) => o.id)).toEqual([ids.hdCommittee])
    expect((await listPublicOrganisations(db, { disputeType: '医疗' })).items.map((o) => o.id)).toEqual([ids.medical])
    expect((await listPublicOrganisations(db, { region: '999999' })).items).toEqual([])
  })

  it('searches Chinese text in names, addresses, services and region names, every word must match', async () => {
    const db = testDb()
    const byService = await listPublicOrganisations(db, { q: '物业' })
    expect(byService.items.map((o) => o.id)).toEqual([ids.hdCommittee])
    const twoWords = await listPublicOrganisations(db, { q: '海淀 测试甲' })
    expect(twoWords.items.map((o) => o.id)).toEqual([ids.hdCommittee])
    expect((await listPublicOrganisations(db, { q: '朝阳 物业' })).items).toEqual([])
    // Full-width input and LIKE wildcards are taken literally.
    expect((await listPublicOrganisations(db, { q: '%' })).items).toEqual([])
  })

  it('walks every page once with the cursor', async () => {
    const db = testDb()
    const seen: string[] = []
    let cursor: string | null = null
    for (let i = 0; i < 10; i++) {
      const page: Awaited<ReturnType<typeof listPublicOrganisations>> = await listPublicOrganisations(db, { q: '测试', limit: 2, cursor })
      seen.push(...page.items.map((o) => o.id))
      cursor = page.nextCursor
      if (!cursor) break
    }
    const all = (await listPublicOrganisations(db, { q: '测试', limit: 100 })).items.map((o) => o.id)
    expect(seen).toEqual(all)
    expect(new Set(seen).size).toBe(5)
  })
})

describe(`public directory: graded mediators (${testDialect()})`, () => {
  it('lists only grades a finished 公示 published and still valid, of active mediators', async () => {
    const { items } = await listPublicMediators(testDb(), { q: '测试', limit: 100 })
    const names = items.map((m) => m.name)
    expect(names.sort()).toEqual(['测试甲调解员', '测试戊调解员', '测试辛调解员'].sort())
    const demoted = items.find((m) => m.name === '测试辛调解员')!
    expect(demoted.gradeName).toBe('四级人民调解员')
    // Highest grade first.
    expect(items[0]!.name).toBe('测试甲调解员')
  })

  it('keeps hidden fields hidden, and finds a hider only by the awarding association’s region', async () => {
    const db = testDb()
    const { items } = await listPublicMediators(db, { q: '测试戊' })
    expect(items).toEqual([
      {
        id: expect.any(String),
        name: '测试戊调解员',
        gradeName: '三级人民调解员',
        gradeRank: 3,
        associationName: '测试海淀区人民调解协会',
        orgName: null,
        validUntil: null,
      },
    ])
    // The hidden organisation (in Chaoyang) neither shows nor can be found by its name or region.
    expect((await listPublicMediators(db, { q: '测试乙社区' })).items).toEqual([])
    expect((await listPublicMediators(db, { q: '测试戊', region: CHAOYANG })).items).toEqual([])
    expect((await listPublicMediators(db, { q: '测试戊', region: HAIDIAN })).items).toHaveLength(1)
    const listed = (await listPublicMediators(db, { q: '测试甲调解员' })).items[0]!
    expect(listed).toMatchObject({ orgName: '测试甲街道人民调解委员会', validUntil: addDays(today, 700) })
  })

  it('filters by region and searches organisation and grade names', async () => {
    const db = testDb()
    expect((await listPublicMediators(db, { region: CHAOYANG })).items).toEqual([])
    expect((await listPublicMediators(db, { q: '测试甲街道' })).items.map((m) => m.name).sort()).toEqual(['测试甲调解员', '测试辛调解员'])
    expect((await listPublicMediators(db, { q: '二级' })).items.map((m) => m.name)).toEqual(['测试甲调解员'])
    const first = await listPublicMediators(db, { q: '测试', limit: 1, withTotal: true })
    expect(first.total).toBe(3)
    const second = await listPublicMediators(db, { q: '测试', limit: 1, cursor: first.nextCursor })
    expect(second.items[0]!.name).not.toBe(first.items[0]!.name)
  })

  it('previews one person’s entry for their own account page', async () => {
    const db = testDb()
    expect(await publicMediatorEntry(db, ids.hider!)).toMatchObject({ orgName: null, validUntil: null })
    expect(await publicMediatorEntry(db, ids.inNotice!)).toBeNull()
    expect(await publicMediatorEntry(db, ids.ungraded!)).toBeNull()
  })
})

describe(`public directory: experts (${testDialect()})`, () => {
  it('lists experts in office with the default public fields only', async () => {
    const page = await listPublicExperts(testDb(), { q: '测试专家' })
    expect(page.closed).toBe(false)
    expect(page.items).toEqual([
      {
        id: ids.inOffice,
        name: '测试专家甲',
        tier: 'district',
        employer: '北京测试大学法学院',
        domains: [expect.objectContaining({ code: '医疗', role: 'primary' }), expect.objectContaining({ code: '物业', role: 'secondary' })],
      },
    ])
  })

  it('respects the configured fields: absent fields are not sent, searched or filtered on', async () => {
    const db = testDb()
    const fields = new Set(['name', 'tier'] as const)
    const page = await listPublicExperts(db, { q: '测试专家', fields })
    expect(Object.keys(page.items[0]!).sort()).toEqual(['id', 'name', 'tier'])
    expect((await listPublicExperts(db, { q: '北京测试大学', fields })).items).toEqual([])
    expect((await listPublicExperts(db, { q: '北京测试大学' })).items.map((e) => e.name)).toEqual(['测试专家甲'])
    // With domains public the type filter applies; without, it is ignored rather than revealing them.
    expect((await listPublicExperts(db, { disputeType: '婚姻家庭' })).items).toEqual([])
    expect((await listPublicExperts(db, { disputeType: '婚姻家庭', fields })).items.map((e) => e.name)).toEqual(['测试专家甲'])
  })

  it('reads the deployment setting, and closes the section without names', async () => {
    const db = testDb()
    await writeSetting(db, DIRECTORY_SETTINGS.expertFields, 'name, employer', null)
    const page = await listPublicExperts(db, { q: '测试专家' })
    expect(page.items).toEqual([{ id: ids.inOffice, name: '测试专家甲', employer: '北京测试大学法学院' }])
    await writeSetting(db, DIRECTORY_SETTINGS.expertFields, 'tier,domains', null)
    const closed = await listPublicExperts(db, { q: '测试专家' })
    expect(closed).toMatchObject({ closed: true, items: [] })
    await writeSetting(db, DIRECTORY_SETTINGS.expertFields, DIRECTORY_SETTINGS.expertFields.fallback, null)
  })

  it('refuses unknown field names in the setting and stores a canonical list', () => {
    expect(DIRECTORY_SETTINGS.expertFields.schema.safeParse('name,phone').success).toBe(false)
    expect(DIRECTORY_SETTINGS.expertFields.schema.parse('employer、name，tier')).toBe('name,tier,employer')
  })
})

describe(`public directory pages (${testDialect()})`, () => {
  const args = (path: string) => ({ request: makeRequest(path), params: {}, context: {} })

  it('serve the lists without a session, with no ID or mobile numbers in the data', async () => {
    const orgs = await orgsPage.loader(args('/directory?q=%E6%B5%8B%E8%AF%95'))
    const mediators = await mediatorsPage.loader(args(`/directory/mediators?region=${HAIDIAN}`))
    const experts = await expertsPage.loader(args('/directory/experts?q=%E6%B5%8B%E8%AF%95'))
    expect(orgs.page.items.length).toBe(5)
    expect(mediators.page.items.map((m) => m.name)).toContain('测试甲调解员')
    expect(experts.page.items.map((e) => e.name)).toEqual(['测试专家甲'])
    expect(experts.shows).toEqual({ tier: true, domains: true, employer: true, title: false, region: false })
    const json = JSON.stringify([orgs, mediators, experts])
    expect(json).not.toMatch(/(?<!\d)\d{17}[\dXx](?!\d)/)
    expect(json).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/)
    expect(json).not.toMatch(/id_number|phone_enc|phone_masked/)
  })

  it('ignore malformed filters instead of failing', async () => {
    const page = await orgsPage.loader(args('/directory?region=abc&kind=justice_bureau&cursor=%%%&type=%3Cscript%3E'))
    expect(page.filters).toMatchObject({ region: null, kind: null, cursor: null, disputeType: null })
  })

  it('are cacheable by a shared proxy unless the response sets a cookie', () => {
    const empty = new Headers()
    const cacheable = new Headers(
      directoryHeaders({ loaderHeaders: empty, parentHeaders: empty, actionHeaders: empty, errorHeaders: undefined }),
    )
    expect(cacheable.get('Cache-Control')).toMatch(/^public, max-age=\d+/)
    expect(cacheable.get('Vary')).toBe('Accept-Language, Cookie')
    const withCookie = new Headers({ 'Set-Cookie': 'flash=; Max-Age=0' })
    const personal = new Headers(
      directoryHeaders({ loaderHeaders: empty, parentHeaders: withCookie, actionHeaders: empty, errorHeaders: undefined }),
    )
    expect(personal.get('Cache-Control')).toBe('private, no-store')
  })
})
