/**
 * Issue 4 follow-ups on the database: the first invitation moves a case to 专家咨询 in the same
 * transaction (audited), diversified recommendations stored with the recommendation, the
 * court-entrusted time limit and its one extension, and conflicts staff pin without inviting.
 */
import { todayInChina } from '#app/lib/time.ts'
import { beforeAll, describe, expect, it } from 'vitest'
import { confirmPlan, planCases } from '#app/modules/cases/batch.server.ts'
import { createCase, getCase, moveCase } from '#app/modules/cases/cases.server.ts'
import { inviteExpert } from '#app/modules/cases/consultations.server.ts'
import { latestRecommendation } from '#app/modules/cases/detail.server.ts'
import { clearExpertPoolCache, saveMatchConfig, activeMatchConfig } from '#app/modules/cases/matching.server.ts'
import { dueDate } from '#app/modules/cases/model.ts'
import type { CaseInput } from '#app/modules/cases/schemas.ts'
import { action as caseAction, loader as caseLoader } from '#app/routes/_app.cases.$caseId.tsx'
import { createExpert } from '#db/seed/expert-pool.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { type World, buildWorld, call } from '#tests/security/world.ts'

const TODAY = todayInChina()
let world: World
const db = () => testDb()

function caseInput(overrides: Partial<CaseInput> = {}): CaseInput {
  return {
    title: '医疗损害纠纷',
    summary: '术后并发症',
    disputeType: '医疗',
    domains: [],
    regionCode: '110108',
    orgId: world.orgs.hdCommittee,
    source: 'party',
    difficulty: 'complex',
    amountYuan: 120000,
    partyCount: 2,
    parties: [{ kind: 'organisation', name: '北京某医院' }],
    expertsNeeded: 3,
    requiredProfession: undefined,
    minTier: undefined,
    requiresOutsideRegion: false,
    consultationMode: 'written',
    periodStart: TODAY,
    periodEnd: TODAY,
    deadline: TODAY,
    ...overrides,
  }
}

/** A case of its own dispute type, so only this test's experts are candidates. */
async function newCase(overrides: Partial<CaseInput> = {}) {
  return (await createCase(db(), caseInput(overrides), null)).id
}

async function expert(disputeType: string, overrides: Parameters<typeof createExpert>[1] = {}) {
  const built = await createExpert(db(), { primary: [disputeType], max_concurrent_cases: 3, ...overrides })
  clearExpertPoolCache()
  return built.expert.person_id
}

async function accept(caseId: string) {
  const moved = await moveCase(db(), caseId, 'accepted', 1, null)
  if (!moved.ok) throw new Error(moved.message)
}

const post = (caseId: string, form: Record<string, string>, user: keyof World['users'] = 'hdStaff') =>
  call(caseAction, `/cases/${caseId}`, { method: 'POST', params: { caseId }, cookie: world.users[user].cookie, form })

const invitePost = (caseId: string, expertId: string) =>
  post(caseId, { intent: 'invite', expertId, source: 'search', mode: 'written', deadline: TODAY })

async function audits(action: string, recordId: string) {
  return db().selectFrom('audit_log').select(['detail', 'result']).where('action', '=', action).where('record_id', '=', recordId).execute()
}

beforeAll(async () => {
  world = await buildWorld(db())
})

describe(`first invitation moves the case to 专家咨询 (${testDialect()})`, () => {
  it('moves an accepted case to consulting with its timestamp, audited with the invitation', async () => {
    const caseId = await newCase()
    await accept(caseId)
    const a = await expert('医疗')
    const b = await expert('医疗')
    const first = await invitePost(caseId, a)
    expect(first.status).toBe(302)
    const kase = await db()
      .selectFrom('cases')
      .select(['status', 'mediation_started_at', 'version', 'experts_assigned'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow()
    expect(kase).toMatchObject({ status: 'consulting', version: 3, experts_assigned: 1 })
    expect(kase.mediation_started_at).toMatch(/^\d{4}-\d{2}-\d{2}T/)
    const moved = await audits('case.status_changed', caseId)
    expect(moved).toHaveLength(1)
    expect(JSON.parse(moved[0]!.detail!)).toMatchObject({ from: 'accepted', to: 'consulting', cause: 'expert_invited', expertId: a })
    // A second expert on a case already in 专家咨询 changes nothing more.
    expect((await invitePost(caseId, b)).status).toBe(302)
    const after = await db().selectFrom('cases').select(['status', 'version']).where('id', '=', caseId).executeTakeFirstOrThrow()
    expect(after).toEqual({ status: 'consulting', version: 3 })
    expect(await audits('case.status_changed', caseId)).toHaveLength(1)
  })

  it('keeps the mediation start of a case in 调解中, and leaves a registered case registered', async () => {
    const mediating = await newCase()
    await accept(mediating)
    const started = await moveCase(db(), mediating, 'mediating', 2, null)
    if (!started.ok) throw new Error(started.message)
    const before = await db().selectFrom('cases').select('mediation_started_at').where('id', '=', mediating).executeTakeFirstOrThrow()
    const result = await inviteExpert(db(), {
      caseId: mediating,
      expertId: await expert('医疗'),
      source: 'search',
      mode: 'written',
      deadline: TODAY,
      userId: null,
      today: TODAY,
    })
    expect(result).toMatchObject({ ok: true, created: true })
    const row = await db()
      .selectFrom('cases')
      .select(['status', 'mediation_started_at'])
      .where('id', '=', mediating)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'consulting', mediation_started_at: before.mediation_started_at })

    const registered = await newCase()
    expect((await invitePost(registered, await expert('医疗'))).status).toBe(302)
    const still = await db().selectFrom('cases').select(['status', 'version']).where('id', '=', registered).executeTakeFirstOrThrow()
    expect(still).toEqual({ status: 'registered', version: 1 })
    expect(await audits('case.status_changed', registered)).toHaveLength(0)
  })

  it('rolls the move back with a refused invitation, and moves a case confirmed in a batch', async () => {
    const caseId = await newCase({ expertsNeeded: 1 })
    await accept(caseId)
    const busy = await expert('医疗', { max_concurrent_cases: 0 })
    expect((await invitePost(caseId, busy)).status).toBe(400)
    const row = await db().selectFrom('cases').select(['status', 'version']).where('id', '=', caseId).executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'accepted', version: 2 })
    expect(await audits('case.status_changed', caseId)).toHaveLength(0)

    const batchCase = await newCase({ expertsNeeded: 1, disputeType: '物业' })
    await accept(batchCase)
    const free = await expert('物业')
    const confirmed = await confirmPlan(db(), [{ caseId: batchCase, expertId: free }], {
      deadline: TODAY,
      userId: world.users.hdStaff.id,
      today: TODAY,
    })
    expect(confirmed).toEqual({ ok: true, created: 1 })
    const moved = await db().selectFrom('cases').select(['status']).where('id', '=', batchCase).executeTakeFirstOrThrow()
    expect(moved.status).toBe('consulting')
  })
})

describe(`diversified recommendations (${testDialect()})`, () => {
  it('caps each organisation in the top list when asked, stores the choice, and follows the configured cap', async () => {
    const caseId = await newCase({ disputeType: '劳动争议', expertsNeeded: 2 })
    const same = world.orgs.hdAssociation
    const other = world.orgs.cyCommittee
    const crowd = [
      await expert('劳动争议', { employer_org_id: same }),
      await expert('劳动争议', { employer_org_id: same }),
      await expert('劳动争议', { employer_org_id: same }),
    ]
    const outsider = await expert('劳动争议', { employer_org_id: other, tier: 'district' })
    const perOrg = (items: { organisationId: string | null; deferredForDiversity: boolean }[], org: string) =>
      items.filter((i) => i.organisationId === org && !i.deferredForDiversity).length

    expect((await post(caseId, { intent: 'recommend' })).status).toBe(302)
    const plain = await latestRecommendation(db(), caseId)
    expect(plain?.diversify).toBeNull()
    expect(plain?.items.filter((i) => crowd.includes(i.expertId))).toHaveLength(3)
    expect(plain?.items.some((i) => i.deferredForDiversity)).toBe(false)

    const { config } = await activeMatchConfig(db())
    expect(config.recommend.maxPerOrganisation).toBe(2)
    expect((await post(caseId, { intent: 'recommend', diversify: 'on' })).status).toBe(302)
    const diverse = await latestRecommendation(db(), caseId)
    expect(diverse?.diversify).toEqual({ maxPerOrganisation: 2 })
    expect(perOrg(diverse!.items, same)).toBe(2)
    // The third expert of the crowded organisation comes after the outsider, flagged.
    const ids = diverse!.items.map((i) => i.expertId)
    const deferred = diverse!.items.filter((i) => i.deferredForDiversity)
    expect(deferred).toHaveLength(1)
    expect(ids.indexOf(deferred[0]!.expertId)).toBeGreaterThan(ids.indexOf(outsider))
    const audited = await audits('case.recommended', caseId)
    expect(audited.map((a) => JSON.parse(a.detail!).diversify)).toEqual(expect.arrayContaining([null, { maxPerOrganisation: 2 }]))

    // The cap is part of the versioned configuration.
    const saved = await saveMatchConfig(db(), { ...config, recommend: { ...config.recommend, maxPerOrganisation: 1 } }, 20_000, null)
    expect(saved.ok).toBe(true)
    expect((await saveMatchConfig(db(), { ...config, recommend: { ...config.recommend, maxPerOrganisation: 0 } }, 20_000, null)).ok).toBe(
      false,
    )
    expect((await post(caseId, { intent: 'recommend', diversify: 'on' })).status).toBe(302)
    const one = await latestRecommendation(db(), caseId)
    expect(one?.diversify).toEqual({ maxPerOrganisation: 1 })
    expect(perOrg(one!.items, same)).toBe(1)
    expect(one!.items.filter((i) => i.deferredForDiversity)).toHaveLength(2)
    // A re-run without the form (after a decline or withdrawal) keeps the choice.
    const invited = await inviteExpert(db(), {
      caseId,
      expertId: outsider,
      source: 'search',
      mode: 'written',
      deadline: TODAY,
      userId: null,
      today: TODAY,
    })
    if (!invited.ok) throw new Error(invited.messages.join())
    expect((await post(caseId, { intent: 'withdraw', consultationId: invited.consultationId, reason: '无法联系' })).status).toBe(302)
    expect((await latestRecommendation(db(), caseId))?.diversify).toEqual({ maxPerOrganisation: 1 })
  })
})

describe(`court-entrusted time limit (${testDialect()})`, () => {
  it('gives 30 days, extendable once by 30 days with a reason, audited and shown on the case page', async () => {
    const caseId = await newCase({ source: 'court' })
    await accept(caseId)
    const kase = await getCase(db(), caseId)
    const base = dueDate(kase!.registered_at, kase!.accepted_at)
    expect(kase!.due).toBe(base)
    const page = await call(caseLoader, `/cases/${caseId}`, { params: { caseId }, cookie: world.users.hdStaff.cookie })
    expect(page.data).toMatchObject({ canExtend: true, kase: { extension: null, due: base } })

    expect((await post(caseId, { intent: 'extend', reason: '' })).status).toBe(400)
    // A manager of another district sees nothing.
    expect((await post(caseId, { intent: 'extend', reason: '鉴定未完成' }, 'cyStaff')).status).toBe(404)
    expect((await post(caseId, { intent: 'extend', reason: '鉴定未完成' })).status).toBe(302)
    const again = await post(caseId, { intent: 'extend', reason: '再延一次' })
    expect(again.status).toBe(409)
    expect(again.data).toMatchObject({ refused: ['cases.extension.already'] })

    const rows = await db().selectFrom('case_decisions').select(['kind', 'days', 'reason']).where('case_id', '=', caseId).execute()
    expect(rows).toEqual([{ kind: 'time_extension', days: 30, reason: '鉴定未完成' }])
    const audited = await audits('case.time_limit_extended', caseId)
    expect(audited).toHaveLength(1)
    expect(JSON.parse(audited[0]!.detail!)).toEqual({ days: 30, reason: '鉴定未完成' })
    const extended = dueDate(kase!.registered_at, kase!.accepted_at, 30)
    expect(Date.parse(extended) - Date.parse(base)).toBe(30 * 86_400_000)
    const after = await call(caseLoader, `/cases/${caseId}`, { params: { caseId }, cookie: world.users.hdStaff.cookie })
    expect(after.data).toMatchObject({ canExtend: false, kase: { due: extended, extension: { days: 30, reason: '鉴定未完成' } } })
  })

  it('refuses to extend a case that is not court-entrusted', async () => {
    const caseId = await newCase({ source: 'party' })
    const refused = await post(caseId, { intent: 'extend', reason: '案情复杂' })
    expect(refused.status).toBe(409)
    expect(refused.data).toMatchObject({ refused: ['cases.extension.notAllowed'] })
    expect(await db().selectFrom('case_decisions').select('id').where('case_id', '=', caseId).execute()).toHaveLength(0)
  })
})

describe(`administrator-pinned conflicts (${testDialect()})`, () => {
  it('pins an expert without inviting, with a reason, audited; the expert is excluded with that reason', async () => {
    const caseId = await newCase({ disputeType: '婚姻家庭', expertsNeeded: 1 })
    const pinned = await expert('婚姻家庭')
    const other = await expert('婚姻家庭')
    expect((await post(caseId, { intent: 'pin', expertId: pinned, reason: '' })).status).toBe(400)
    expect((await post(caseId, { intent: 'pin', expertId: pinned, reason: '曾代理一方当事人' }, 'cyStaff')).status).toBe(404)
    const first = await post(caseId, { intent: 'pin', expertId: pinned, reason: '曾代理一方当事人' })
    const repeat = await post(caseId, { intent: 'pin', expertId: pinned, reason: '曾代理一方当事人' })
    expect([first.status, repeat.status]).toEqual([302, 302])
    const rows = await db().selectFrom('case_decisions').select(['kind', 'subject', 'reason']).where('case_id', '=', caseId).execute()
    expect(rows).toEqual([{ kind: 'conflict_pin', subject: pinned, reason: '曾代理一方当事人' }])
    const audited = await audits('case.conflict_pinned', caseId)
    expect(audited).toHaveLength(1)
    expect(JSON.parse(audited[0]!.detail!)).toEqual({ expertId: pinned, reason: '曾代理一方当事人' })
    expect(await db().selectFrom('case_consultations').select('id').where('case_id', '=', caseId).execute()).toHaveLength(0)

    // Excluded from the recommendation (re-run by the pin) under "conflict of interest".
    const rec = await latestRecommendation(db(), caseId)
    expect(rec?.items.map((i) => i.expertId)).toEqual([other])
    const conflict = rec?.excluded.find((g) => g.family === 'conflict')
    expect(conflict?.codes).toEqual([{ code: 'conflict.pinned', count: 1 }])
    // A crafted invitation is refused with the constraint and the written reason.
    const refused = await invitePost(caseId, pinned)
    expect(refused.status).toBe(400)
    expect(refused.data).toMatchObject({
      refused: ['matching.excluded.conflict.pinned', `cases.pin.because?${new URLSearchParams({ reason: '曾代理一方当事人' })}`],
    })
    // The batch never proposes the pinned expert.
    const plan = await planCases(db(), [caseId], TODAY)
    expect(plan.cases[0]!.assigned.map((x) => x.expertId)).toEqual([other])
    // The case page lists the pin with its reason.
    const page = await call(caseLoader, `/cases/${caseId}`, { params: { caseId }, cookie: world.users.hdStaff.cookie })
    expect(page.data).toMatchObject({ pins: [{ expertId: pinned, reason: '曾代理一方当事人' }] })
  })

  it('refuses to pin an expert who holds a slot on the case (withdraw instead)', async () => {
    const caseId = await newCase({ disputeType: '婚姻家庭', expertsNeeded: 1 })
    const onCase = await expert('婚姻家庭')
    expect((await invitePost(caseId, onCase)).status).toBe(302)
    const refused = await post(caseId, { intent: 'pin', expertId: onCase, reason: '亲属关系' })
    expect(refused.status).toBe(409)
    expect(refused.data).toMatchObject({ refused: ['cases.pin.onCase'] })
  })
})
