/**
 * The partner API end to end at the route level: every response validated against the OpenAPI
 * document; bearer and OAuth authentication (never a cookie); scopes and regions; cursor pages and
 * ETags; strict bad-input errors; idempotent referrals landing in the intake queue; outcomes;
 * per-client rate limits kept in the database; audit rows; the admin pages that register clients.
 */
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import { CLIENT_ADDRESS_HEADER } from '#app/lib/request.server.ts'
import { nowIso } from '#app/lib/time.ts'
import { createApiClient } from '#app/modules/api/clients.server.ts'
import type { ClientInput } from '#app/modules/api/client-form.ts'
import { consumeRateLimit } from '#app/modules/api/rate-limit.server.ts'
import { moveCase } from '#app/modules/cases/cases.server.ts'
import * as caseRoute from '#app/routes/api.v1.cases.tsx'
import * as caseDetailRoute from '#app/routes/api.v1.cases.$id.tsx'
import * as expertsRoute from '#app/routes/api.v1.experts.tsx'
import * as mediatorsRoute from '#app/routes/api.v1.mediators.tsx'
import * as openapiRoute from '#app/routes/api.v1.openapi[.json].tsx'
import * as orgsRoute from '#app/routes/api.v1.organisations.tsx'
import * as tokenRoute from '#app/routes/api.v1.oauth.token.tsx'
import * as newClientRoute from '#app/routes/_app.admin.api-clients.new.tsx'
import * as clientRoute from '#app/routes/_app.admin.api-clients.$clientId.tsx'
import { createMediator, createOrganisation, createPerson, validIdNumber } from '#tests/fixtures/factories.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { TEST_ORIGIN } from '#tests/fixtures/test-env.ts'
import { buildWorld, call, type World } from '#tests/security/world.ts'
import { documentedOperations, expectContract, seen } from './contract.ts'

const HAIDIAN = '110108'
const CHAOYANG = '110105'
const BEIJING = '110000'

let world: World
const ids = {} as Record<
  'hdBureau' | 'hdCommittee' | 'cyCommittee' | 'hdExpert' | 'bjExpert' | 'cyExpert' | 'hdGraded' | 'cyGraded',
  string
>
const clients = {} as Record<'court' | 'police' | 'partner' | 'cyCourt', { id: string; secret: string }>

type Handler = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<Response> | Response

function apiRequest(path: string, init: { method?: string; secret?: string; headers?: Record<string, string>; body?: string } = {}) {
  const headers = new Headers(init.headers)
  headers.set(CLIENT_ADDRESS_HEADER, '203.0.113.7')
  if (init.secret) headers.set('Authorization', `Bearer ${init.secret}`)
  return new Request(new URL(path, TEST_ORIGIN), { method: init.method ?? 'GET', headers, body: init.body })
}

async function run(handler: unknown, request: Request, params: Record<string, string> = {}): Promise<Response> {
  return (handler as Handler)({ request, params, context: {} })
}

const get = (
  handler: unknown,
  path: string,
  secret: string | undefined,
  headers?: Record<string, string>,
  params?: Record<string, string>,
) => run(handler, apiRequest(path, { secret, headers }), params)

function referral(overrides: Record<string, unknown> = {}) {
  return {
    externalRef: `(2026)京0108民诉前调${Math.floor(Math.random() * 100000)}号`,
    title: '邻里漏水纠纷',
    summary: '楼上住户卫生间漏水，双方就维修费用和赔偿数额协商未果，法院诉前委派调解。',
    disputeType: '邻里',
    regionCode: HAIDIAN,
    parties: [
      { kind: 'person', name: '张三' },
      { kind: 'person', name: '李四' },
    ],
    deadline: '2099-01-31',
    ...overrides,
  }
}

const refer = (secret: string, body: unknown, key: string | null = newId(), extraHeaders: Record<string, string> = {}) =>
  run(
    caseRoute.action,
    apiRequest('/api/v1/cases', {
      method: 'POST',
      secret,
      headers: { 'Content-Type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}), ...extraHeaders },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  )

function clientInput(partial: Partial<ClientInput>): ClientInput {
  return {
    name: `测试客户端 ${newId().slice(-6)}`,
    kind: 'court',
    regionCode: HAIDIAN,
    scopes: ['organisations:read', 'mediators:read', 'experts:read', 'cases:refer', 'cases:read'],
    rateLimitPerMinute: 1000,
    ...partial,
  }
}

async function addExpert(regionCode: string | null, tier: 'national' | 'municipal' | 'district', name: string) {
  const db = testDb()
  const person = await createPerson(db, { name, region_code: regionCode ?? BEIJING })
  const now = nowIso()
  await db
    .insertInto('experts')
    .values({
      person_id: person.id,
      name,
      tier,
      region_code: regionCode,
      appointing_org_id: null,
      employer: '北京某医院',
      employer_org_id: null,
      title: '主任医师',
      professions: '["医学"]',
      languages: '[]',
      bio: null,
      photo_file: null,
      photo_type: null,
      term_start: '2025-01-01',
      term_end: '2099-12-31',
      status: 'active',
      max_concurrent_cases: 3,
      contact_preference: 'phone',
      contact_note: null,
      version: 1,
      created_at: now,
      updated_at: now,
      created_by: null,
    })
    .execute()
  await db.insertInto('expert_domains').values({ expert_id: person.id, dispute_type_code: '医疗', role: 'primary' }).execute()
  return person.id
}

/**
 * A grade the public directory lists: a current grade after a demotion whose notice has ended (the
 * directory publishes only grades a finished 公示 or notice made public). Returns the grade's id.
 */
async function addGrade(orgId: string, associationId: string, regionCode: string) {
  const db = testDb()
  const mediator = await createMediator(db, { org_id: orgId, person: { region_code: regionCode } })
  const changedAt = '2026-06-01T00:00:00.000Z'
  const row = (id: string, status: 'current' | 'demoted', rank: number, source: 'import' | 'demotion') => ({
    id,
    person_id: mediator.person!.id,
    association_org_id: associationId,
    grade_code: `L${rank}`,
    grade_name: rank === 1 ? '一级人民调解员' : '二级人民调解员',
    grade_rank: rank,
    status,
    valid_from: '2026-01-01',
    valid_until: '2099-12-31',
    source,
    round_id: null,
    application_id: null,
    change_reason: status === 'demoted' ? '年度考核不合格' : null,
    notice_start_on: status === 'demoted' ? '2026-05-01' : null,
    notice_end_on: status === 'demoted' ? '2026-05-20' : null,
    changed_by: null,
    changed_at: changedAt,
    version: 1,
    created_at: nowIso(),
  })
  const current = newId()
  await db
    .insertInto('mediator_grades')
    .values([row(newId(), 'demoted', 1, 'import'), row(current, 'current', 2, 'demotion')])
    .execute()
  return current
}

beforeAll(async () => {
  const db = testDb()
  world = await buildWorld(db)
  ids.hdBureau = (await createOrganisation(db, { name: '海淀区司法局', kind: 'justice_bureau', region_code: HAIDIAN })).id
  ids.hdCommittee = world.orgs.hdCommittee
  ids.cyCommittee = world.orgs.cyCommittee
  const cyAssociation = (await createOrganisation(db, { name: '朝阳区人民调解协会', kind: 'association', region_code: CHAOYANG })).id
  ids.hdGraded = await addGrade(ids.hdCommittee, world.orgs.hdAssociation, HAIDIAN)
  ids.cyGraded = await addGrade(ids.cyCommittee, cyAssociation, CHAOYANG)
  ids.hdExpert = await addExpert(HAIDIAN, 'district', '海淀专家')
  ids.bjExpert = await addExpert(BEIJING, 'municipal', '市级专家')
  ids.cyExpert = await addExpert(CHAOYANG, 'district', '朝阳专家')
  for (const [name, input] of [
    ['court', clientInput({})],
    ['police', clientInput({ kind: 'police' })],
    ['partner', clientInput({ kind: 'partner', scopes: ['organisations:read'] })],
    ['cyCourt', clientInput({ regionCode: CHAOYANG })],
  ] as const) {
    const created = await createApiClient(db, input, null)
    clients[name] = { id: created.id, secret: created.secret! }
  }
})

describe(`partner API (${testDialect()})`, () => {
  it('publishes an OpenAPI 3.1 document generated from the request schemas, with an ETag', async () => {
    const response = await run(openapiRoute.loader, apiRequest('/api/v1/openapi.json'))
    expect(response.status).toBe(200)
    const doc = await response.json()
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/organisations',
        '/api/v1/mediators',
        '/api/v1/experts',
        '/api/v1/cases',
        '/api/v1/cases/{id}',
        '/api/v1/oauth/token',
      ]),
    )
    // The request schema is the validating one: strict (no unknown fields) and with its limits.
    expect(doc.components.schemas.ReferralInput.additionalProperties).toBe(false)
    expect(doc.components.schemas.ReferralInput.properties.summary.maxLength).toBe(4000)
    const again = await run(
      openapiRoute.loader,
      apiRequest('/api/v1/openapi.json', { headers: { 'If-None-Match': response.headers.get('ETag')! } }),
    )
    expect(again.status).toBe(304)
  })

  it('refuses calls without credentials, with a wrong secret, or with only a session cookie', async () => {
    const none = await get(orgsRoute.loader, '/api/v1/organisations', undefined)
    expect(none.status).toBe(401)
    expect(none.headers.get('WWW-Authenticate')).toMatch(/^Bearer/)
    expect((await expectContract(none, 'GET', '/api/v1/organisations')).error.code).toBe('unauthorized')

    const wrong = await get(orgsRoute.loader, '/api/v1/organisations', 'tjs_not-the-secret-at-all')
    expect(wrong.status).toBe(401)
    expect(wrong.headers.get('WWW-Authenticate')).toContain('invalid_token')

    // An administrator's browser session is worth nothing here.
    const withCookie = await run(orgsRoute.loader, apiRequest('/api/v1/organisations', { headers: { Cookie: world.users.admin.cookie } }))
    expect(withCookie.status).toBe(401)
  })

  it('lists organisations of the client’s region only, page by page, with ETags', async () => {
    const first = await get(orgsRoute.loader, '/api/v1/organisations?limit=2', clients.court.secret)
    const page1 = await expectContract(first, 'GET', '/api/v1/organisations')
    expect(page1.data).toHaveLength(2)
    expect(page1.nextCursor).toEqual(expect.any(String))
    const all = [...page1.data]
    let cursor = page1.nextCursor
    while (cursor) {
      const next = await expectContract(
        await get(orgsRoute.loader, `/api/v1/organisations?limit=2&cursor=${cursor}`, clients.court.secret),
        'GET',
        '/api/v1/organisations',
      )
      all.push(...next.data)
      cursor = next.nextCursor
    }
    const names = all.map((o: { name: string }) => o.name)
    expect(new Set(all.map((o: { id: string }) => o.id)).size).toBe(all.length)
    expect(names).toEqual(expect.arrayContaining(['海淀测试调委会', '海淀第二调委会', '海淀区人民调解协会']))
    // Justice bureaus are not mediation organisations: the directory does not list them.
    expect(names).not.toContain('海淀区司法局')
    expect(names).not.toContain('朝阳测试调委会')
    expect(all.every((o: { region: { code: string } }) => o.region.code === HAIDIAN)).toBe(true)

    const etag = first.headers.get('ETag')!
    const cached = await get(orgsRoute.loader, '/api/v1/organisations?limit=2', clients.court.secret, { 'If-None-Match': etag })
    await expectContract(cached, 'GET', '/api/v1/organisations')
    expect(cached.status).toBe(304)
    expect(cached.headers.get('ETag')).toBe(etag)
  })

  it('answers a region outside the client’s with 403 and a bad cursor with a field error', async () => {
    const outside = await get(orgsRoute.loader, `/api/v1/organisations?region=${CHAOYANG}`, clients.court.secret)
    expect((await expectContract(outside, 'GET', '/api/v1/organisations')).error.code).toBe('forbidden')
    expect(outside.status).toBe(403)
    const badCursor = await get(orgsRoute.loader, '/api/v1/organisations?cursor=%24%24', clients.court.secret)
    const body = await expectContract(badCursor, 'GET', '/api/v1/organisations')
    expect(body.error.fields).toEqual([expect.objectContaining({ field: 'cursor', code: 'invalid' })])
  })

  it('lists published grades and the published expert fields within the client’s region', async () => {
    const mediators = await expectContract(
      await get(mediatorsRoute.loader, '/api/v1/mediators', clients.court.secret),
      'GET',
      '/api/v1/mediators',
    )
    // Only the Haidian grade: not Chaoyang's, and ungraded mediators are not in the directory.
    expect(mediators.data.map((m: { id: string }) => m.id)).toEqual([ids.hdGraded])
    expect(mediators.data[0].grade).toEqual(expect.objectContaining({ name: '二级人民调解员', rank: 2, validUntil: '2099-12-31' }))

    const experts = await expectContract(
      await get(expertsRoute.loader, `/api/v1/experts?disputeType=${encodeURIComponent('医疗')}`, clients.court.secret),
      'GET',
      '/api/v1/experts',
    )
    const expertIds = experts.data.map((e: { id: string }) => e.id)
    expect(expertIds).toContain(ids.hdExpert)
    expect(expertIds).not.toContain(ids.cyExpert)
    const hd = experts.data.find((e: { id: string }) => e.id === ids.hdExpert)
    expect(hd.domains.map((d: { code: string }) => d.code)).toEqual(['医疗'])
    expect(hd.employer).toBe('北京某医院')
    // Public fields only: nothing personal travels.
    expect(JSON.stringify(experts)).not.toMatch(/phone|idNumber|birth/i)
  })

  it('enforces scopes: a partner with organisations:read only gets 403 elsewhere', async () => {
    const ok = await get(orgsRoute.loader, '/api/v1/organisations', clients.partner.secret)
    expect(ok.status).toBe(200)
    const denied = await get(mediatorsRoute.loader, '/api/v1/mediators', clients.partner.secret)
    expect((await expectContract(denied, 'GET', '/api/v1/mediators')).error.code).toBe('insufficient_scope')
    const refer403 = await refer(clients.partner.secret, referral())
    expect(refer403.status).toBe(403)
    await expectContract(refer403, 'POST', '/api/v1/cases')
  })

  it('rejects unknown fields, wrong types and oversize payloads with an error per field', async () => {
    const unknown = await refer(clients.court.secret, referral({ secretField: 1, parties: [{ kind: 'person', name: '张三', age: 3 }] }))
    const unknownBody = await expectContract(unknown, 'POST', '/api/v1/cases')
    expect(unknown.status).toBe(400)
    expect(unknownBody.error.fields).toEqual(
      expect.arrayContaining([
        { field: 'secretField', code: 'unknown_field', message: expect.any(String) },
        { field: 'parties.0.age', code: 'unknown_field', message: expect.any(String) },
      ]),
    )
    const wrongType = await expectContract(
      await refer(clients.court.secret, referral({ title: 5, expertsNeeded: 'two' })),
      'POST',
      '/api/v1/cases',
    )
    expect(wrongType.error.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'title', code: 'wrong_type' }),
        expect.objectContaining({ field: 'expertsNeeded', code: 'wrong_type' }),
      ]),
    )
    const tooLong = await expectContract(
      await refer(clients.court.secret, referral({ summary: '长'.repeat(4001) })),
      'POST',
      '/api/v1/cases',
    )
    expect(tooLong.error.fields).toEqual([expect.objectContaining({ field: 'summary', code: 'too_big' })])
    const huge = await refer(clients.court.secret, referral({ summary: 'x'.repeat(70_000) }))
    expect(huge.status).toBe(400)
    expect((await expectContract(huge, 'POST', '/api/v1/cases')).error.code).toBe('payload_too_large')
    const notJson = await refer(clients.court.secret, '{"title":', newId())
    expect((await expectContract(notJson, 'POST', '/api/v1/cases')).error.code).toBe('invalid_json')
    const form = await refer(clients.court.secret, 'title=x', newId(), { 'Content-Type': 'application/x-www-form-urlencoded' })
    expect(form.status).toBe(415)
    await expectContract(form, 'POST', '/api/v1/cases')
    const noKey = await expectContract(await refer(clients.court.secret, referral(), null), 'POST', '/api/v1/cases')
    expect(noKey.error.fields).toEqual([expect.objectContaining({ field: 'Idempotency-Key', code: 'required' })])
    const badQuery = await get(orgsRoute.loader, '/api/v1/organisations?limit=500&colour=blue', clients.court.secret)
    const badQueryBody = await expectContract(badQuery, 'GET', '/api/v1/organisations')
    expect(badQueryBody.error.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'colour', code: 'unknown_field' }),
        expect.objectContaining({ field: 'limit', code: 'too_big' }),
      ]),
    )
    const badId = await expectContract(
      await refer(
        clients.court.secret,
        referral({
          parties: [
            { kind: 'person', name: '张三', idNumber: '110105199001011235' },
            { kind: 'person', name: '李四' },
          ],
        }),
      ),
      'POST',
      '/api/v1/cases',
    )
    expect(badId.error.fields).toEqual([expect.objectContaining({ field: 'parties.0.idNumber', code: 'invalid' })])
    const past = await expectContract(await refer(clients.court.secret, referral({ deadline: '2020-01-01' })), 'POST', '/api/v1/cases')
    expect(past.error.fields).toEqual([expect.objectContaining({ field: 'deadline' })])
    expect(await testDb().selectFrom('api_referrals').select('id').where('client_id', '=', clients.court.id).execute()).toHaveLength(0)
  })

  it('refers a case into the intake queue of its region, once per Idempotency-Key', async () => {
    const db = testDb()
    const key = `court-${newId()}`
    const body = referral()
    const first = await refer(clients.court.secret, body, key)
    expect(first.status).toBe(201)
    const created = await expectContract(first, 'POST', '/api/v1/cases')
    expect(first.headers.get('Location')).toBe(`/api/v1/cases/${created.id}`)
    expect(created).toEqual(
      expect.objectContaining({ source: 'court', status: 'registered', externalRef: body.externalRef, outcome: null }),
    )
    expect(created.organisation.id).toBe(ids.hdBureau)

    const row = await db.selectFrom('cases').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow()
    expect(row).toEqual(
      expect.objectContaining({ source: 'court', status: 'registered', region_code: HAIDIAN, org_id: ids.hdBureau, created_by: null }),
    )

    const retry = await refer(clients.court.secret, body, key)
    expect(retry.status).toBe(200)
    expect((await expectContract(retry, 'POST', '/api/v1/cases')).id).toBe(created.id)
    const [a, b] = await Promise.all([refer(clients.court.secret, body, key), refer(clients.court.secret, body, key)])
    expect([a.status, b.status]).toEqual([200, 200])
    const reused = await refer(clients.court.secret, { ...body, title: '另一个案件' }, key)
    expect(reused.status).toBe(409)
    expect((await expectContract(reused, 'POST', '/api/v1/cases')).error.code).toBe('idempotency_key_reused')
    expect(await db.selectFrom('api_referrals').select('case_id').where('idempotency_key', '=', key).execute()).toEqual([
      { case_id: created.id },
    ])

    // Staff see it in Haidian's intake queue; the referral was audited against the case.
    const audited = await db.selectFrom('audit_log').select(['action', 'username']).where('record_id', '=', created.id).execute()
    expect(audited).toEqual([{ action: 'case.referred', username: expect.stringMatching(/^api:/) }])
  })

  it('seals party ID numbers and never returns them', async () => {
    const idNumber = validIdNumber(HAIDIAN, '1990-03-07', 123, 'male')
    const response = await refer(
      clients.police.secret,
      referral({
        parties: [
          { kind: 'person', name: '王五', idNumber },
          { kind: 'organisation', name: '某物业公司' },
        ],
      }),
    )
    const created = await expectContract(response, 'POST', '/api/v1/cases')
    expect(response.status).toBe(201)
    expect(created.source).toBe('police')
    expect(JSON.stringify(created)).not.toContain('1990')
    const party = await testDb()
      .selectFrom('case_parties')
      .selectAll()
      .where('case_id', '=', created.id)
      .where('name', '=', '王五')
      .executeTakeFirstOrThrow()
    expect(party.id_number_enc).not.toContain(idNumber)
    expect(party.id_number_masked).toBe(`110108********${idNumber.slice(-4)}`)
  })

  it('keeps referrals outside the client’s region out, and other clients’ cases invisible', async () => {
    const outside = await refer(clients.court.secret, referral({ regionCode: CHAOYANG }))
    expect(outside.status).toBe(403)
    await expectContract(outside, 'POST', '/api/v1/cases')
    const foreignOrg = await expectContract(
      await refer(clients.court.secret, referral({ organisationId: ids.cyCommittee })),
      'POST',
      '/api/v1/cases',
    )
    expect(foreignOrg.error.fields).toEqual([expect.objectContaining({ field: 'organisationId', code: 'invalid_choice' })])

    const mine = await expectContract(
      await refer(clients.court.secret, referral({ organisationId: ids.hdCommittee })),
      'POST',
      '/api/v1/cases',
    )
    expect(mine.organisation.id).toBe(ids.hdCommittee)
    const theirs = await get(caseDetailRoute.loader, `/api/v1/cases/${mine.id}`, clients.cyCourt.secret, undefined, { id: mine.id })
    expect(theirs.status).toBe(404)
    expect((await expectContract(theirs, 'GET', '/api/v1/cases/{id}')).error.code).toBe('not_found')
    const otherList = await expectContract(await get(caseRoute.loader, '/api/v1/cases', clients.cyCourt.secret), 'GET', '/api/v1/cases')
    expect(otherList.data).toEqual([])
  })

  it('reports status and outcome as staff move the case, with ETags', async () => {
    const db = testDb()
    const created = await expectContract(await refer(clients.court.secret, referral()), 'POST', '/api/v1/cases')
    const read = () => get(caseDetailRoute.loader, `/api/v1/cases/${created.id}`, clients.court.secret, undefined, { id: created.id })
    const before = await read()
    const etag = before.headers.get('ETag')!
    expect((await expectContract(before, 'GET', '/api/v1/cases/{id}')).status).toBe('registered')

    for (const to of ['accepted', 'mediating', 'succeeded'] as const) {
      const { version } = await db.selectFrom('cases').select('version').where('id', '=', created.id).executeTakeFirstOrThrow()
      expect((await moveCase(db, created.id, to, version, to === 'succeeded' ? '双方达成协议，已履行。' : null)).ok).toBe(true)
      await db
        .insertInto('audit_log')
        .values({
          id: newId(),
          at: nowIso(),
          user_id: null,
          username: 'staff',
          roles: null,
          scope: null,
          ip: null,
          action: 'case.status_changed',
          record_type: 'case',
          record_id: created.id,
          result: 'ok',
          detail: JSON.stringify({ to }),
        })
        .execute()
    }
    const changed = await get(
      caseDetailRoute.loader,
      `/api/v1/cases/${created.id}`,
      clients.court.secret,
      { 'If-None-Match': etag },
      { id: created.id },
    )
    expect(changed.status).toBe(200)
    const concluded = await expectContract(changed, 'GET', '/api/v1/cases/{id}')
    expect(concluded).toEqual(expect.objectContaining({ status: 'succeeded', outcome: 'succeeded', outcomeNote: '双方达成协议，已履行。' }))

    const { version } = await db.selectFrom('cases').select('version').where('id', '=', created.id).executeTakeFirstOrThrow()
    expect((await moveCase(db, created.id, 'closed', version, null)).ok).toBe(true)
    const closed = await expectContract(await read(), 'GET', '/api/v1/cases/{id}')
    expect(closed).toEqual(expect.objectContaining({ status: 'closed', outcome: 'succeeded' }))

    const list = await expectContract(
      await get(caseRoute.loader, '/api/v1/cases?status=closed', clients.court.secret),
      'GET',
      '/api/v1/cases',
    )
    expect(list.data.map((r: { id: string }) => r.id)).toEqual([created.id])
    const unreferred = newId()
    const none = await get(caseDetailRoute.loader, `/api/v1/cases/${unreferred}`, clients.court.secret, undefined, { id: unreferred })
    expect(none.status).toBe(404)
  })

  it('issues OAuth client-credentials tokens (hashed), with RFC 6749 errors', async () => {
    const db = testDb()
    const token = (form: Record<string, string>, headers: Record<string, string> = {}) =>
      run(
        tokenRoute.action,
        apiRequest('/api/v1/oauth/token', {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
          body: new URLSearchParams(form).toString(),
        }),
      )
    const basic = (id: string, secret: string) => ({ Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` })

    const issued = await token(
      { grant_type: 'client_credentials', scope: 'organisations:read' },
      basic(clients.court.id, clients.court.secret),
    )
    expect(issued.headers.get('Cache-Control')).toBe('no-store')
    const body = await expectContract(issued, 'POST', '/api/v1/oauth/token')
    expect(body).toEqual({
      access_token: expect.stringMatching(/^tja_/),
      token_type: 'Bearer',
      expires_in: 900,
      scope: 'organisations:read',
    })
    const stored = await db.selectFrom('api_access_tokens').selectAll().where('client_id', '=', clients.court.id).execute()
    expect(stored.map((t) => t.token_hash)).toContain(createHash('sha256').update(body.access_token).digest('hex'))
    expect(JSON.stringify(stored)).not.toContain(body.access_token)

    expect((await get(orgsRoute.loader, '/api/v1/organisations', body.access_token)).status).toBe(200)
    // The token carries only the scope asked for.
    expect((await get(mediatorsRoute.loader, '/api/v1/mediators', body.access_token)).status).toBe(403)

    const inForm = await token({ grant_type: 'client_credentials', client_id: clients.court.id, client_secret: clients.court.secret })
    expect((await expectContract(inForm, 'POST', '/api/v1/oauth/token')).scope.split(' ')).toContain('cases:refer')

    const wrongSecret = await token({ grant_type: 'client_credentials' }, basic(clients.court.id, 'tjs_wrong'))
    expect(wrongSecret.status).toBe(401)
    expect(wrongSecret.headers.get('WWW-Authenticate')).toMatch(/^Basic/)
    expect((await expectContract(wrongSecret, 'POST', '/api/v1/oauth/token')).error).toBe('invalid_client')
    const badGrant = await expectContract(
      await token({ grant_type: 'password' }, basic(clients.court.id, clients.court.secret)),
      'POST',
      '/api/v1/oauth/token',
    )
    expect(badGrant.error).toBe('unsupported_grant_type')
    const badScope = await expectContract(
      await token({ grant_type: 'client_credentials', scope: 'cases:refer' }, basic(clients.partner.id, clients.partner.secret)),
      'POST',
      '/api/v1/oauth/token',
    )
    expect(badScope.error).toBe('invalid_scope')
    const twoMethods = await expectContract(
      await token({ grant_type: 'client_credentials', client_id: clients.court.id }, basic(clients.court.id, clients.court.secret)),
      'POST',
      '/api/v1/oauth/token',
    )
    expect(twoMethods.error).toBe('invalid_request')

    // Expired tokens stop working.
    await db
      .updateTable('api_access_tokens')
      .set({ expires_at: '2020-01-01T00:00:00.000Z' })
      .where('client_id', '=', clients.court.id)
      .execute()
    expect((await get(orgsRoute.loader, '/api/v1/organisations', body.access_token)).status).toBe(401)
  })

  it('limits each client’s requests per minute, counted in the database, with Retry-After', async () => {
    const db = testDb()
    const created = await createApiClient(db, clientInput({ kind: 'partner', scopes: ['organisations:read'], rateLimitPerMinute: 3 }), null)
    const statuses: number[] = []
    let last: Response | undefined
    for (let i = 0; i < 4; i++) {
      last = await get(orgsRoute.loader, '/api/v1/organisations?limit=1', created.secret)
      statuses.push(last.status)
    }
    expect(statuses).toEqual([200, 200, 200, 429])
    expect(Number(last!.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1)
    expect(last!.headers.get('RateLimit-Remaining')).toBe('0')
    expect((await expectContract(last!, 'GET', '/api/v1/organisations')).error.code).toBe('rate_limited')
    // Another client is not affected, and the next minute starts afresh.
    expect((await get(orgsRoute.loader, '/api/v1/organisations?limit=1', clients.partner.secret)).status).toBe(200)
    const nextMinute = await consumeRateLimit(db, created.id, 3, new Date(Date.now() + 60_000))
    expect(nextMinute).toEqual(expect.objectContaining({ allowed: true, remaining: 2 }))
    const windows = await db.selectFrom('api_rate_windows').select('hits').where('client_id', '=', created.id).execute()
    expect(windows).toEqual([{ hits: 1 }])
  })

  it('audits every call with the client, operation and outcome', async () => {
    const db = testDb()
    const rows = await db
      .selectFrom('audit_log')
      .select(['action', 'result', 'detail', 'record_id', 'username'])
      .where('action', 'like', 'api.%')
      .execute()
    const details = rows.map((r) => ({ ...r, detail: JSON.parse(r.detail ?? '{}') }))
    expect(details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'api.unauthorized', result: 'denied' }),
        expect.objectContaining({
          action: 'api.call',
          result: 'ok',
          record_id: clients.court.id,
          detail: expect.objectContaining({ operation: 'listOrganisations', status: 200 }),
        }),
        expect.objectContaining({
          action: 'api.call',
          result: 'denied',
          detail: expect.objectContaining({ operation: 'listMediators', status: 403 }),
        }),
        expect.objectContaining({
          action: 'api.call',
          result: 'failed',
          detail: expect.objectContaining({ operation: 'referCase', status: 400 }),
        }),
        expect.objectContaining({ action: 'api.call', result: 'denied', detail: expect.objectContaining({ status: 429 }) }),
        expect.objectContaining({ action: 'api.token_issued', record_id: clients.court.id }),
        expect.objectContaining({ action: 'api.token_refused', result: 'denied' }),
      ]),
    )
    // No credential ever reaches the log.
    expect(JSON.stringify(rows)).not.toContain(clients.court.secret)
  })

  it('lets an administrator register a client and shows its secret exactly once', async () => {
    const db = testDb()
    const form = {
      name: '海淀法院诉调平台',
      kind: 'court',
      regionCode: HAIDIAN,
      scopes: ['cases:refer', 'cases:read'],
      rateLimitPerMinute: '60',
      webhookUrl: 'https://court.example.gov.cn/hooks/tiaojie',
    }
    const denied = await call(newClientRoute.action, '/admin/api-clients/new', { form, cookie: world.users.hdStaff.cookie })
    expect(denied.status).toBe(403)
    const partnerRefer = await call(newClientRoute.action, '/admin/api-clients/new', {
      form: { ...form, kind: 'partner' },
      cookie: world.users.admin.cookie,
    })
    expect(partnerRefer.status).toBe(400)

    const created = await call(newClientRoute.action, '/admin/api-clients/new', { form, cookie: world.users.admin.cookie })
    expect(created.status).toBe(302)
    const clientId = created.location!.split('/').pop()!
    const row = await db.selectFrom('api_clients').selectAll().where('id', '=', clientId).executeTakeFirstOrThrow()
    expect(row).toEqual(
      expect.objectContaining({ name: form.name, kind: 'court', status: 'active', version: 1, webhook_url: form.webhookUrl }),
    )

    // The redirect carries the secrets to the page once, in a cookie scoped to these pages.
    const response = await newClientRoute.action({
      request: (await import('#tests/fixtures/request.ts')).makeRequest('/admin/api-clients/new', {
        form,
        cookie: world.users.admin.cookie,
      }),
      params: {},
      context: {},
    })
    const setCookie = (response as Response).headers.get('Set-Cookie')!
    expect(setCookie).toContain('Path=/admin/api-clients')
    const secondId = (response as Response).headers.get('Location')!.split('/').pop()!
    const cookie = `${world.users.admin.cookie}; ${setCookie.split(';')[0]}`
    const shown = await call(clientRoute.loader, `/admin/api-clients/${secondId}`, { params: { clientId: secondId }, cookie })
    const issued = (shown.data as { issued: { secret: string; webhookSecret: string } }).issued
    expect(issued.secret).toMatch(/^tjs_/)
    expect(issued.webhookSecret).toMatch(/^whsec_/)
    const second = await db.selectFrom('api_clients').selectAll().where('id', '=', secondId).executeTakeFirstOrThrow()
    expect(second.secret_hash).toBe(createHash('sha256').update(issued.secret).digest('hex'))
    expect(second.webhook_secret).not.toContain(issued.webhookSecret)
    const again = await call(clientRoute.loader, `/admin/api-clients/${secondId}`, {
      params: { clientId: secondId },
      cookie: world.users.admin.cookie,
    })
    expect((again.data as { issued: unknown }).issued).toBeNull()
    expect(await db.selectFrom('audit_log').select('action').where('record_id', '=', secondId).execute()).toEqual([
      { action: 'api_client.created' },
    ])

    // Works, then rotation makes the old secret useless, then disabling stops the new one.
    expect((await get(caseRoute.loader, '/api/v1/cases', issued.secret)).status).toBe(200)
    const rotated = await call(clientRoute.action, `/admin/api-clients/${secondId}`, {
      params: { clientId: secondId },
      form: { intent: 'rotate-secret', version: '1' },
      cookie: world.users.admin.cookie,
    })
    expect(rotated.status).toBe(302)
    expect((await get(caseRoute.loader, '/api/v1/cases', issued.secret)).status).toBe(401)
    const stale = await call(clientRoute.action, `/admin/api-clients/${secondId}`, {
      params: { clientId: secondId },
      form: { intent: 'disable', version: '1' },
      cookie: world.users.admin.cookie,
    })
    expect((await db.selectFrom('api_clients').select('status').where('id', '=', secondId).executeTakeFirstOrThrow()).status).toBe('active')
    expect(stale.status).toBe(302)
    await call(clientRoute.action, `/admin/api-clients/${secondId}`, {
      params: { clientId: secondId },
      form: { intent: 'disable', version: '2' },
      cookie: world.users.admin.cookie,
    })
    expect((await db.selectFrom('api_clients').select('status').where('id', '=', secondId).executeTakeFirstOrThrow()).status).toBe(
      'disabled',
    )
    expect(
      (await db.selectFrom('audit_log').select('action').where('record_id', '=', secondId).orderBy('at').execute()).map((r) => r.action),
    ).toEqual(['api_client.created', 'api.call', 'api_client.secret_rotated', 'api_client.disabled'])
  })
})

afterAll(() => {
  // Every documented operation was exercised with a success and validated against the document.
  const succeeded = new Set([...seen].filter((s) => /\s2\d\d$/.test(s)).map((s) => s.split(' ')[0]))
  expect(documentedOperations().filter((op) => !succeeded.has(op))).toEqual([])
})
