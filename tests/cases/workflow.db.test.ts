/**
 * Difficult cases on the database: intake, every hard constraint on a crafted POST, capacity
 * under parallel invitations, the consultation workflow's idempotency, the expert's own view, and
 * batch confirmation in one transaction.
 */
import { todayInChina } from '#app/lib/time.ts'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import { clearExpertPoolCache } from '#app/modules/cases/matching.server.ts'
import { confirmPlan, planCases } from '#app/modules/cases/batch.server.ts'
import { createCase } from '#app/modules/cases/cases.server.ts'
import {
  acceptInvitation,
  declineInvitation,
  inviteExpert,
  rateConsultation,
  submitOpinion,
} from '#app/modules/cases/consultations.server.ts'
import type { CaseInput } from '#app/modules/cases/schemas.ts'
import { action as caseAction, loader as caseLoader } from '#app/routes/_app.cases.$caseId.tsx'
import { loader as myLoader } from '#app/routes/_app.me.consultations.$consultationId.tsx'
import { action as newCaseAction } from '#app/routes/_app.cases.new.tsx'
import { createExpert } from '#db/seed/expert-pool.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { createUser, validIdNumber } from '#tests/fixtures/factories.ts'
import { type World, buildWorld, call, cookieFor, serialized } from '#tests/security/world.ts'

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
    parties: [
      { kind: 'person', name: '王某', idNumber: validIdNumber('110108', '1980-05-06', 11, 'male') },
      { kind: 'organisation', name: '北京某医院' },
    ],
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

async function medicalExpert(overrides: Parameters<typeof createExpert>[1] = {}) {
  const built = await createExpert(db(), {
    primary: ['医疗'],
    professions: JSON.stringify(['medicine']),
    max_concurrent_cases: 3,
    ...overrides,
  })
  clearExpertPoolCache()
  return built.expert.person_id
}

async function invite(caseId: string, expertId: string) {
  return inviteExpert(db(), { caseId, expertId, source: 'search', mode: 'written', deadline: TODAY, userId: null, today: TODAY })
}

beforeAll(async () => {
  world = await buildWorld(db())
})

describe(`difficult cases (${testDialect()})`, () => {
  it('registers a case through the form: numbered per organisation and year, party IDs sealed and masked', async () => {
    const idNumber = validIdNumber('110108', '1975-02-03', 21, 'female')
    const form = {
      title: '物业纠纷',
      summary: '公共收益分配',
      disputeType: '物业',
      regionCode: '110108',
      orgId: world.orgs.hdCommittee,
      source: 'court',
      difficulty: 'complex',
      partyCount: '2',
      'parties[0].kind': 'person',
      'parties[0].name': '李某',
      'parties[0].idNumber': idNumber,
      'parties[1].kind': 'organisation',
      'parties[1].name': '某物业公司',
      expertsNeeded: '1',
      consultationMode: 'written',
      periodStart: TODAY,
      periodEnd: TODAY,
      deadline: TODAY,
    }
    const first = await call(newCaseAction, '/cases/new', { method: 'POST', form, cookie: world.users.hdStaff.cookie })
    const second = await call(newCaseAction, '/cases/new', { method: 'POST', form, cookie: world.users.hdStaff.cookie })
    expect(first.status).toBe(302)
    expect(second.status).toBe(302)
    const rows = await db()
      .selectFrom('cases')
      .select(['id', 'case_number', 'case_seq'])
      .where('title', '=', '物业纠纷')
      .orderBy('case_seq')
      .execute()
    expect(rows.map((r) => r.case_seq)).toEqual([1, 2])
    expect(rows[0]!.case_number).toMatch(/^（\d{4}）.+人调字第 1 号$/)
    const party = await db()
      .selectFrom('case_parties')
      .selectAll()
      .where('case_id', '=', rows[0]!.id)
      .where('kind', '=', 'person')
      .executeTakeFirstOrThrow()
    expect(party.id_number_enc).not.toContain(idNumber)
    expect(party.id_number_masked).toMatch(/\*{4,}/)
    // Chaoyang staff cannot register for a Haidian committee.
    const refused = await call(newCaseAction, '/cases/new', { method: 'POST', form, cookie: world.users.cyStaff.cookie })
    expect(refused.status).toBe(400)
    // …nor open the Haidian case.
    const hidden = await call(caseLoader, `/cases/${rows[0]!.id}`, { params: { caseId: rows[0]!.id }, cookie: world.users.cyStaff.cookie })
    expect(hidden.status).toBe(404)
  })

  it('refuses a crafted invitation of an ineligible expert with the reason, for every kind of constraint', async () => {
    const { id: caseId } = await createCase(db(), caseInput({ expertsNeeded: 5 }), null)
    const cases: [string, () => Promise<string>][] = [
      ['matching.excluded.status.inactive', () => medicalExpert({ status: 'suspended' })],
      ['matching.excluded.term.expired', () => medicalExpert({ term_start: '2015-01-01', term_end: '2020-01-01' })],
      ['matching.excluded.domain.notCovered', () => medicalExpert({ primary: ['合同'] })],
      ['matching.excluded.capacity.full', () => medicalExpert({ max_concurrent_cases: 0 })],
      ['matching.excluded.region.outsideHierarchy', () => medicalExpert({ region_code: '110105' })],
      ['matching.excluded.conflict.partyOrganisation', () => medicalExpert({ employer: '北京某医院' })],
    ]
    for (const [reason, make] of cases) {
      const expertId = await make()
      const outcome = await call(caseAction, `/cases/${caseId}`, {
        method: 'POST',
        params: { caseId },
        cookie: world.users.hdStaff.cookie,
        form: { intent: 'invite', expertId, source: 'search', mode: 'written', deadline: TODAY },
      })
      expect(outcome.status, reason).toBe(400)
      expect(serialized(outcome), reason).toContain(reason)
    }
    expect(await db().selectFrom('case_consultations').select('id').where('case_id', '=', caseId).execute()).toEqual([])
    // An eligible expert goes through; the invitation is recorded with its score components.
    const ok = await medicalExpert()
    const invited = await call(caseAction, `/cases/${caseId}`, {
      method: 'POST',
      params: { caseId },
      cookie: world.users.hdStaff.cookie,
      form: { intent: 'invite', expertId: ok, source: 'search', mode: 'written', deadline: TODAY, reason: '熟悉该医院情况' },
    })
    expect(invited.status).toBe(302)
    const row = await db().selectFrom('case_consultations').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow()
    expect(row.source).toBe('override')
    expect(JSON.parse(row.score_components!)).toHaveProperty('domain')
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', '=', 'case.expert_invited')
      .where('record_id', '=', caseId)
      .execute()
    expect(audit.some((a) => a.detail?.includes('熟悉该医院情况'))).toBe(true)
  })

  it('never takes an expert above capacity under parallel invitations', async () => {
    const expertId = await medicalExpert({ max_concurrent_cases: 2 })
    const caseIds = []
    for (let i = 0; i < 6; i++) caseIds.push((await createCase(db(), caseInput({ title: `并发${i}`, expertsNeeded: 1 }), null)).id)
    const outcomes = await Promise.all(caseIds.map((id) => invite(id, expertId)))
    expect(outcomes.filter((o) => o.ok)).toHaveLength(2)
    const load = await db().selectFrom('expert_loads').select('active_count').where('expert_id', '=', expertId).executeTakeFirstOrThrow()
    expect(load.active_count).toBe(2)
    const rows = await db().selectFrom('case_consultations').select('id').where('expert_id', '=', expertId).execute()
    expect(rows).toHaveLength(2)
  })

  it('never fills a case beyond k under parallel invitations', async () => {
    const { id: caseId } = await createCase(db(), caseInput({ title: '名额', expertsNeeded: 2 }), null)
    const experts = await Promise.all([0, 1, 2, 3, 4].map(() => medicalExpert()))
    const outcomes = await Promise.all(experts.map((e) => invite(caseId, e)))
    expect(outcomes.filter((o) => o.ok)).toHaveLength(2)
    const kase = await db().selectFrom('cases').select('experts_assigned').where('id', '=', caseId).executeTakeFirstOrThrow()
    expect(kase.experts_assigned).toBe(2)
  })

  it('runs the workflow idempotently: invite, accept, decline frees the slot, opinion, rating feeds the history', async () => {
    const { id: caseId } = await createCase(db(), caseInput({ title: '流程', expertsNeeded: 1 }), null)
    const a = await medicalExpert()
    const b = await medicalExpert()
    const first = await invite(caseId, a)
    const again = await invite(caseId, a)
    expect(first.ok && again.ok && !again.created && again.consultationId === first.consultationId).toBe(true)
    if (!first.ok) throw new Error('invite failed')
    // The case is full: b cannot be invited until a declines.
    expect((await invite(caseId, b)).ok).toBe(false)
    expect(await declineInvitation(db(), first.consultationId, a, '出差')).toEqual({ ok: true, changed: true })
    expect(await declineInvitation(db(), first.consultationId, a, '出差')).toEqual({ ok: true, changed: false })
    expect(
      (await db().selectFrom('expert_loads').select('active_count').where('expert_id', '=', a).executeTakeFirstOrThrow()).active_count,
    ).toBe(0)
    // a declined: not asked again.
    const reinvite = await invite(caseId, a)
    expect(reinvite.ok ? [] : reinvite.messages).toContain('matching.excluded.conflict.declined')
    const second = await invite(caseId, b)
    if (!second.ok) throw new Error(second.messages.join())
    // Accepting someone else's invitation changes nothing.
    expect((await acceptInvitation(db(), second.consultationId, a)).ok).toBe(false)
    expect(await acceptInvitation(db(), second.consultationId, b)).toEqual({ ok: true, changed: true })
    expect(await acceptInvitation(db(), second.consultationId, b)).toEqual({ ok: true, changed: false })
    const opinion = { issues: '因果关系', analysis: '分析', resolution: '建议赔偿', legalBasis: '民法典第1218条', hours: 2.5 }
    expect(await submitOpinion(db(), second.consultationId, b, opinion)).toEqual({ ok: true, changed: true })
    expect(await submitOpinion(db(), second.consultationId, b, { ...opinion, issues: '改写' })).toEqual({ ok: true, changed: false })
    const staff = (await createUser(db(), { username: `rater.${newId().slice(-6).toLowerCase()}`, roles: [] })).user.id
    expect(await rateConsultation(db(), caseId, second.consultationId, 5, '专业', staff)).toEqual({ ok: true, changed: true })
    expect(await rateConsultation(db(), caseId, second.consultationId, 1, '重复', staff)).toEqual({ ok: true, changed: false })
    const load = await db().selectFrom('expert_loads').selectAll().where('expert_id', '=', b).executeTakeFirstOrThrow()
    expect(load).toMatchObject({ active_count: 0, completed_count: 1, rating_count: 1, rating_sum: 5, hours_tenths: 25 })
    const row = await db().selectFrom('case_consultations').selectAll().where('id', '=', second.consultationId).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'rated', rating: 5, opinion_issues: '因果关系' })
  })

  it('shows an expert only their own invitations, with party ID numbers masked', async () => {
    const { id: caseId } = await createCase(db(), caseInput({ title: '专家视图', expertsNeeded: 2 }), null)
    const mine = await medicalExpert()
    const other = await medicalExpert()
    const a = await invite(caseId, mine)
    const b = await invite(caseId, other)
    if (!a.ok || !b.ok) throw new Error('invite failed')
    const { user } = await createUser(db(), {
      username: `exp.${newId().slice(-6).toLowerCase()}`,
      roles: [{ role: 'expert' }],
      personId: mine,
    })
    const cookie = await cookieFor(user.id)
    const own = await call(myLoader, `/me/consultations/${a.consultationId}`, { params: { consultationId: a.consultationId }, cookie })
    expect(own.status).toBe(200)
    const text = serialized(own)
    expect(text).toContain('****')
    expect(text).not.toContain(validIdNumber('110108', '1980-05-06', 11, 'male'))
    expect(text).not.toContain('id_number_enc')
    const theirs = await call(myLoader, `/me/consultations/${b.consultationId}`, { params: { consultationId: b.consultationId }, cookie })
    expect(theirs.status).toBe(404)
    expect(theirs.data).toBeNull()
  })

  it('plans a batch and confirms it in one transaction; one refused pair writes nothing', async () => {
    const experts = await Promise.all([0, 1, 2].map(() => medicalExpert({ max_concurrent_cases: 2 })))
    const caseIds = []
    for (let i = 0; i < 3; i++) caseIds.push((await createCase(db(), caseInput({ title: `批量${i}`, expertsNeeded: 1 }), null)).id)
    const plan = await planCases(db(), caseIds, TODAY)
    expect(plan.totals.filled).toBe(3)
    const pairs = plan.cases.flatMap((c) => c.assigned.map((a) => ({ caseId: c.caseId, expertId: a.expertId })))
    // A conflicted expert smuggled into the plan: the whole batch is refused.
    const conflicted = await medicalExpert({ employer: '北京某医院' })
    const refused = await confirmPlan(db(), [...pairs, { caseId: caseIds[0]!, expertId: conflicted }], {
      deadline: TODAY,
      userId: world.users.hdStaff.id,
      today: TODAY,
    })
    expect(refused.ok).toBe(false)
    if (!refused.ok) expect(refused.messages.join()).toContain('conflict.partyOrganisation')
    expect(await db().selectFrom('case_consultations').select('id').where('case_id', 'in', caseIds).execute()).toEqual([])
    const loads = await db().selectFrom('expert_loads').select(['expert_id', 'active_count']).where('expert_id', 'in', experts).execute()
    expect(loads.every((l) => l.active_count === 0)).toBe(true)
    const confirmed = await confirmPlan(db(), pairs, { deadline: TODAY, userId: world.users.hdStaff.id, today: TODAY })
    expect(confirmed).toEqual({ ok: true, created: 3 })
    expect(await db().selectFrom('case_consultations').select('id').where('case_id', 'in', caseIds).execute()).toHaveLength(3)
  })
})

describe(`recommendations, configuration and subsidies (${testDialect()})`, () => {
  it('stores each recommendation with its score components and the config version, and excludes with reasons', async () => {
    const { id: caseId } = await createCase(db(), caseInput({ title: '推荐', expertsNeeded: 1 }), null)
    const good = await medicalExpert()
    const conflicted = await medicalExpert({ employer: '北京某医院' })
    const outcome = await call(caseAction, `/cases/${caseId}`, {
      method: 'POST',
      params: { caseId },
      cookie: world.users.hdStaff.cookie,
      form: { intent: 'recommend' },
    })
    expect(outcome.status).toBe(302)
    const row = await db().selectFrom('case_recommendations').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow()
    const items = JSON.parse(row.items) as { expertId: string; components: Record<string, number>; reasons: string[] }[]
    expect(items.map((i) => i.expertId)).toContain(good)
    expect(items.map((i) => i.expertId)).not.toContain(conflicted)
    expect(Object.keys(items[0]!.components).sort()).toEqual(['domain', 'load', 'proximity', 'rating', 'rotation', 'tier'])
    expect(row.excluded).toContain('matching.excludedGroup.conflict')
    const page = await call(caseLoader, `/cases/${caseId}`, { params: { caseId }, cookie: world.users.hdStaff.cookie })
    expect(serialized(page)).toContain(good)
  })

  it('saves the matching configuration as a new version for municipal staff only', async () => {
    const { action: configAction } = await import('#app/routes/_app.cases.matching-config.tsx')
    const form: Record<string, string> = { loadPenalty: '0.2', subsidyYuan: '250', note: '提高补贴' }
    for (const c of ['domain', 'tier', 'proximity', 'rating', 'load', 'rotation']) form[`weight.${c}`] = '1'
    for (const d of ['ordinary', 'complex', 'major'])
      for (const tier of ['national', 'provincial', 'municipal']) form[`allowed.${d}.${tier}`] = 'on'
    const denied = await call(configAction, '/cases/matching-config', { method: 'POST', form, cookie: world.users.hdStaff.cookie })
    expect(denied.status).toBe(403)
    const saved = await call(configAction, '/cases/matching-config', { method: 'POST', form, cookie: world.users.bjStaff.cookie })
    expect(saved.status).toBe(302)
    const row = await db().selectFrom('match_configs').selectAll().orderBy('version', 'desc').executeTakeFirstOrThrow()
    expect(row.subsidy_fen_per_hour).toBe(25_000)
    expect(JSON.parse(row.config).tierAllowed.ordinary.district).toBe(false)
    const bad = await call(configAction, '/cases/matching-config', {
      method: 'POST',
      form: { ...form, 'weight.domain': '-1' },
      cookie: world.users.bjStaff.cookie,
    })
    expect(bad.status).toBe(400)
    // Restore the defaults' spirit for later tests: district experts allowed again.
    for (const d of ['ordinary', 'complex', 'major']) form[`allowed.${d}.district`] = 'on'
    await call(configAction, '/cases/matching-config', { method: 'POST', form, cookie: world.users.bjStaff.cookie })
  })

  it('versions every editable table: the next recommendation uses the new values, invalid ones are refused with the field named', async () => {
    const { action: configAction } = await import('#app/routes/_app.cases.matching-config.tsx')
    const { activeMatchConfig } = await import('#app/modules/cases/matching.server.ts')
    const { config: start } = await activeMatchConfig(db())
    // The page posts every field: start from the configuration in force.
    const form: Record<string, string> = {
      loadPenalty: String(start.batch.loadPenalty),
      maxPerOrganisation: String(start.recommend.maxPerOrganisation),
      subsidyYuan: '250',
      'rating.priorMean': String(start.rating.priorMean),
      'rating.priorWeight': String(start.rating.priorWeight),
      'rotation.horizonDays': String(start.rotation.horizonDays),
      'proximity.national': String(start.proximity.national),
      'proximity.unrelated': String(start.proximity.unrelated),
    }
    for (const c of ['domain', 'tier', 'proximity', 'rating', 'load', 'rotation'] as const) form[`weight.${c}`] = String(start.weights[c])
    for (const d of ['ordinary', 'complex', 'major'] as const)
      for (const tier of ['national', 'provincial', 'municipal', 'district'] as const) {
        if (start.tierAllowed[d][tier]) form[`allowed.${d}.${tier}`] = 'on'
        form[`tierFit.${d}.${tier}`] = String(start.tierFit[d][tier])
      }
    start.proximity.byLevelsUp.forEach((v, i) => {
      form[`proximity.byLevelsUp.${i}`] = String(v)
    })
    for (const k of ['primary', 'secondary', 'specialty', 'specialtyBonus', 'parentCategoryFactor'] as const)
      form[`domain.${k}`] = String(start.domain[k])

    const { id: caseId } = await createCase(db(), caseInput({ title: '规则版本', expertsNeeded: 1 }), null)
    const expert = await medicalExpert()
    // Idle for 30 days, so the rotation horizon matters.
    const thirtyDaysAgo = new Date(Date.parse(`${TODAY}T00:00:00Z`) - 30 * 86_400_000).toISOString().slice(0, 10)
    const load = await db().selectFrom('expert_loads').select('expert_id').where('expert_id', '=', expert).executeTakeFirst()
    if (load)
      await db()
        .updateTable('expert_loads')
        .set({ last_assigned_on: thirtyDaysAgo, updated_at: new Date().toISOString() })
        .where('expert_id', '=', expert)
        .execute()
    else
      await db()
        .insertInto('expert_loads')
        .values({
          expert_id: expert,
          active_count: 0,
          completed_count: 0,
          rating_count: 0,
          rating_sum: 0,
          hours_tenths: 0,
          last_assigned_on: thirtyDaysAgo,
          updated_at: new Date().toISOString(),
        })
        .execute()
    clearExpertPoolCache()

    const saveAndRecommend = async (changes: Record<string, string>) => {
      Object.assign(form, changes)
      const saved = await call(configAction, '/cases/matching-config', { method: 'POST', form, cookie: world.users.bjStaff.cookie })
      expect(saved.status).toBe(302)
      const version = await db()
        .selectFrom('match_configs')
        .select(['version', 'config'])
        .orderBy('version', 'desc')
        .executeTakeFirstOrThrow()
      const outcome = await call(caseAction, `/cases/${caseId}`, {
        method: 'POST',
        params: { caseId },
        cookie: world.users.hdStaff.cookie,
        form: { intent: 'recommend' },
      })
      expect(outcome.status).toBe(302)
      const row = await db()
        .selectFrom('case_recommendations')
        .selectAll()
        .where('case_id', '=', caseId)
        .orderBy('created_at', 'desc')
        .orderBy('config_version', 'desc')
        .executeTakeFirstOrThrow()
      expect(row.config_version).toBe(version.version)
      const items = JSON.parse(row.items) as { expertId: string; components: Record<string, number> }[]
      const mine = items.find((i) => i.expertId === expert)
      expect(mine).toBeDefined()
      return { version: version.version, config: JSON.parse(version.config), components: mine!.components }
    }

    // Tier fit: every cell 0.13, so the (complex case × any tier) component is 0.13.
    const tierFit: Record<string, string> = {}
    for (const d of ['ordinary', 'complex', 'major'])
      for (const tier of ['national', 'provincial', 'municipal', 'district']) tierFit[`tierFit.${d}.${tier}`] = '0.13'
    const v1 = await saveAndRecommend(tierFit)
    expect(v1.config.tierFit.complex.municipal).toBe(0.13)
    expect(v1.components.tier).toBeCloseTo(0.13)

    // Proximity: every level the same score.
    const v2 = await saveAndRecommend({
      'proximity.byLevelsUp.0': '0.37',
      'proximity.byLevelsUp.1': '0.37',
      'proximity.byLevelsUp.2': '0.37',
      'proximity.byLevelsUp.3': '0.37',
      'proximity.national': '0.37',
      'proximity.unrelated': '0.37',
    })
    expect(v2.version).toBe(v1.version + 1)
    expect(v2.components.proximity).toBeCloseTo(0.37)

    // Rating prior: an unrated expert sits at the prior mean, (2 − 1) / 4 on the 1-5 scale.
    const v3 = await saveAndRecommend({ 'rating.priorMean': '2', 'rating.priorWeight': '3' })
    expect(v3.config.rating).toMatchObject({ priorMean: 2, priorWeight: 3 })
    expect(v3.components.rating).toBeCloseTo(0.25)

    // Rotation horizon: 30 idle days of a 60-day horizon is half credit, of 30 days full credit.
    const v4 = await saveAndRecommend({ 'rotation.horizonDays': '60' })
    expect(v4.components.rotation).toBeCloseTo(0.5)
    const v5 = await saveAndRecommend({ 'rotation.horizonDays': '30' })
    expect(v5.components.rotation).toBeCloseTo(1)

    // Domain credits: a primary-domain expert gets the primary credit (no handled-best bonus).
    const v6 = await saveAndRecommend({ 'domain.primary': '0.42', 'domain.specialtyBonus': '0' })
    expect(v6.config.domain).toMatchObject({ primary: 0.42, specialtyBonus: 0 })
    expect(v6.components.domain).toBeCloseTo(0.42)

    // The recommendations made earlier keep the version they were made with.
    const versions = await db().selectFrom('case_recommendations').select('config_version').where('case_id', '=', caseId).execute()
    expect(new Set(versions.map((v) => v.config_version))).toEqual(
      new Set([v1.version, v2.version, v3.version, v4.version, v5.version, v6.version]),
    )

    // An invalid value is refused, the field named, the input kept, nothing saved.
    const before = await db().selectFrom('match_configs').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()
    const bad = await call(configAction, '/cases/matching-config', {
      method: 'POST',
      form: { ...form, 'proximity.byLevelsUp.0': '1.5' },
      cookie: world.users.bjStaff.cookie,
    })
    expect(bad.status).toBe(400)
    const reply = bad.data as { fieldErrors: Record<string, string[]>; values: Record<string, string> }
    expect(reply.fieldErrors['proximity.byLevelsUp.0']).toEqual(['matching.config.outOfRange?path=proximity.byLevelsUp.0&min=0&max=1'])
    expect(reply.values['proximity.byLevelsUp.0']).toBe('1.5')
    const after = await db().selectFrom('match_configs').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
    const latest = await activeMatchConfig(db())
    expect(latest.version).toBe(v6.version)

    // Audited with before and after.
    const audits = await db()
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'case.match_config_saved')
      .where('record_id', '=', String(v2.version))
      .execute()
    expect(audits).toHaveLength(1)
    const detail = JSON.parse(audits[0]!.detail ?? '{}')
    expect(detail.before.config.proximity.unrelated).toBe(start.proximity.unrelated)
    expect(detail.after.config.proximity.unrelated).toBe(0.37)

    // Back to the configuration the other tests expect.
    const restore: Record<string, string> = {}
    for (const d of ['ordinary', 'complex', 'major'] as const)
      for (const tier of ['national', 'provincial', 'municipal', 'district'] as const)
        restore[`tierFit.${d}.${tier}`] = String(start.tierFit[d][tier])
    start.proximity.byLevelsUp.forEach((v, i) => {
      restore[`proximity.byLevelsUp.${i}`] = String(v)
    })
    Object.assign(restore, {
      'proximity.national': String(start.proximity.national),
      'proximity.unrelated': String(start.proximity.unrelated),
      'rating.priorMean': String(start.rating.priorMean),
      'rating.priorWeight': String(start.rating.priorWeight),
      'rotation.horizonDays': String(start.rotation.horizonDays),
      'domain.primary': String(start.domain.primary),
      'domain.specialtyBonus': String(start.domain.specialtyBonus),
    })
    await saveAndRecommend(restore)
  })

  it('exports the subsidies as .xlsx with masked numbers, audited', async () => {
    const { loader: xlsx } = await import('#app/routes/_app.cases.subsidies[.xlsx].tsx')
    const request = (await import('#tests/fixtures/request.ts')).makeRequest('/cases/subsidies.xlsx?from=2000-01-01&to=2100-01-01', {
      cookie: world.users.hdStaff.cookie,
    })
    const response = (await xlsx({ request, params: {}, context: {} })) as Response
    expect(response.headers.get('Content-Type')).toContain('spreadsheetml')
    const bytes = new Uint8Array(await response.arrayBuffer())
    expect(bytes.length).toBeGreaterThan(1000)
    const ExcelJS = (await import('exceljs')).default
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(bytes.buffer as ArrayBuffer)
    const rows = book.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][]
    // The workflow test's rated consultation: 2.5 hours at the configured rate.
    expect(rows.length).toBeGreaterThan(2)
    expect(JSON.stringify(rows)).toMatch(/\*{4,}/)
    const audit = await db().selectFrom('audit_log').select('action').where('action', '=', 'case.subsidies_exported').execute()
    expect(audit).toHaveLength(1)
  })
})

describe(`batch assignment page (${testDialect()})`, () => {
  it('re-runs with locks and removals, and refuses a crafted confirmation with the reason, writing nothing', async () => {
    const { action: batchAction, loader: batchLoader } = await import('#app/routes/_app.cases.batch.tsx')
    const experts = await Promise.all([0, 1, 2, 3].map(() => medicalExpert({ max_concurrent_cases: 1 })))
    const caseIds: string[] = []
    for (let i = 0; i < 2; i++) caseIds.push((await createCase(db(), caseInput({ title: `页面批量${i}`, expertsNeeded: 1 }), null)).id)
    const listed = await call(batchLoader, '/cases/batch', { cookie: world.users.hdStaff.cookie })
    expect(serialized(listed)).toContain(caseIds[0]!)
    // Chaoyang staff do not see Haidian's cases.
    expect(serialized(await call(batchLoader, '/cases/batch', { cookie: world.users.cyStaff.cookie }))).not.toContain(caseIds[0]!)

    const form = new URLSearchParams()
    form.append('intent', 'plan')
    for (const id of caseIds) form.append('caseId', id)
    const first = await call(batchAction, '/cases/batch', { method: 'POST', form, cookie: world.users.hdStaff.cookie })
    type Planned = { plan: { cases: { caseId: string; assigned: { expertId: string; locked: boolean }[] }[] } }
    const plan1 = (first.data as Planned).plan
    const pair0 = { caseId: plan1.cases[0]!.caseId, expertId: plan1.cases[0]!.assigned[0]!.expertId }
    const pair1 = { caseId: plan1.cases[1]!.caseId, expertId: plan1.cases[1]!.assigned[0]!.expertId }
    // Keep pair 0 (locked), strike out pair 1: the re-run keeps one and proposes someone else for the other.
    const rerun = new URLSearchParams(form)
    rerun.append('proposed', `${pair0.caseId}:${pair0.expertId}`)
    rerun.append('proposed', `${pair1.caseId}:${pair1.expertId}`)
    rerun.append('keep', `${pair0.caseId}:${pair0.expertId}`)
    const second = await call(batchAction, '/cases/batch', { method: 'POST', form: rerun, cookie: world.users.hdStaff.cookie })
    const plan2 = (second.data as Planned).plan
    const case0 = plan2.cases.find((c) => c.caseId === pair0.caseId)!
    const case1 = plan2.cases.find((c) => c.caseId === pair1.caseId)!
    expect(case0.assigned).toEqual([expect.objectContaining({ expertId: pair0.expertId, locked: true })])
    expect(case1.assigned.map((a) => a.expertId)).not.toContain(pair1.expertId)

    // A crafted confirmation: a valid pair plus a conflicted expert. Refused with the reason; nothing written.
    const conflicted = await medicalExpert({ employer: '北京某医院' })
    const crafted = new URLSearchParams({ intent: 'confirm', deadline: TODAY })
    crafted.append('keep', `${pair0.caseId}:${pair0.expertId}`)
    crafted.append('keep', `${pair1.caseId}:${conflicted}`)
    const refused = await call(batchAction, '/cases/batch', { method: 'POST', form: crafted, cookie: world.users.hdStaff.cookie })
    expect(refused.status).toBe(409)
    expect(serialized(refused)).toContain('matching.excluded.conflict.partyOrganisation')
    expect(await db().selectFrom('case_consultations').select('id').where('case_id', 'in', caseIds).execute()).toEqual([])
    // A case outside the user's scope is refused too.
    const outside = new URLSearchParams({ intent: 'confirm', deadline: TODAY })
    outside.append('keep', `${pair0.caseId}:${pair0.expertId}`)
    expect((await call(batchAction, '/cases/batch', { method: 'POST', form: outside, cookie: world.users.cyStaff.cookie })).status).toBe(
      400,
    )

    const good = new URLSearchParams({ intent: 'confirm', deadline: TODAY })
    for (const c of plan2.cases) for (const a of c.assigned) good.append('keep', `${c.caseId}:${a.expertId}`)
    const confirmed = await call(batchAction, '/cases/batch', { method: 'POST', form: good, cookie: world.users.hdStaff.cookie })
    expect(confirmed.status).toBe(302)
    const rows = await db()
      .selectFrom('case_consultations')
      .select(['case_id', 'expert_id', 'source'])
      .where('case_id', 'in', caseIds)
      .execute()
    expect(rows).toHaveLength(2)
    expect(rows.every((r) => r.source === 'batch')).toBe(true)
    expect(experts).toHaveLength(4)
  })
})

describe(`expert pool cache (${testDialect()})`, () => {
  it('keeps the pool across invitations, patching loads in, and rebuilds when a profile changes', async () => {
    const { expertPool } = await import('#app/modules/cases/matching.server.ts')
    const expertId = await medicalExpert()
    const { id: caseId } = await createCase(db(), caseInput({ title: '缓存', expertsNeeded: 1 }), null)
    const pool = await expertPool(db(), TODAY)
    const before = pool.experts[pool.indexOf.get(expertId)!]!.activeCases
    expect((await invite(caseId, expertId)).ok).toBe(true)
    const again = await expertPool(db(), TODAY)
    expect(again).toBe(pool)
    expect(again.experts[again.indexOf.get(expertId)!]!.activeCases).toBe(before + 1)
    // An edit outside the expert pages (no stamp written), dated in the past as a server with a
    // slow clock would: the clock-free fingerprint (the raised version) still rebuilds the pool.
    await db()
      .updateTable('experts')
      .set((eb) => ({ updated_at: '2000-01-01T00:00:00.000Z', max_concurrent_cases: 9, version: eb('version', '+', 1) }))
      .where('person_id', '=', expertId)
      .execute()
    const rebuilt = await expertPool(db(), TODAY)
    expect(rebuilt).not.toBe(pool)
    expect(rebuilt.experts[rebuilt.indexOf.get(expertId)!]!.maxConcurrentCases).toBe(9)
  })
})

describe(`withdrawing an invitation (${testDialect()})`, () => {
  it('frees the slot and capacity, keeps the expert excluded (pinned), audited', async () => {
    const { id: caseId } = await createCase(db(), caseInput({ title: '撤回', expertsNeeded: 1 }), null)
    const expertId = await medicalExpert()
    const invited = await invite(caseId, expertId)
    if (!invited.ok) throw new Error(invited.messages.join())
    const form = { intent: 'withdraw', consultationId: invited.consultationId, reason: '与当事人系亲属' }
    const first = await call(caseAction, `/cases/${caseId}`, {
      method: 'POST',
      params: { caseId },
      cookie: world.users.hdStaff.cookie,
      form,
    })
    const again = await call(caseAction, `/cases/${caseId}`, {
      method: 'POST',
      params: { caseId },
      cookie: world.users.hdStaff.cookie,
      form,
    })
    expect([first.status, again.status]).toEqual([302, 302])
    const kase = await db().selectFrom('cases').select('experts_assigned').where('id', '=', caseId).executeTakeFirstOrThrow()
    expect(kase.experts_assigned).toBe(0)
    const load = await db().selectFrom('expert_loads').select('active_count').where('expert_id', '=', expertId).executeTakeFirstOrThrow()
    expect(load.active_count).toBe(0)
    const reinvite = await invite(caseId, expertId)
    expect(reinvite.ok ? [] : reinvite.messages).toContain('matching.excluded.conflict.pinned')
    const audits = await db()
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'case.expert_withdrawn')
      .where('record_id', '=', invited.consultationId)
      .execute()
    expect(audits).toHaveLength(1)
    // Chaoyang staff cannot withdraw on a Haidian case.
    const foreign = await call(caseAction, `/cases/${caseId}`, {
      method: 'POST',
      params: { caseId },
      cookie: world.users.cyStaff.cookie,
      form,
    })
    expect(foreign.status).toBe(404)
  })
})
