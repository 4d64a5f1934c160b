/**
 * Writing the pool through the real actions: admission (duplicates, the age limit), status changes
 * with reasons, concurrent edits, renewals and recommendations upward. What the database holds
 * afterwards is the assertion; statuses only confirm.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { lookupHash } from '#app/lib/crypto.server.ts'
import { action as editAction } from '#app/routes/_app.experts.$expertId.edit.tsx'
import { action as recommendAction } from '#app/routes/_app.experts.$expertId.recommend.tsx'
import { action as renewAction } from '#app/routes/_app.experts.$expertId.renew.tsx'
import { action as statusAction } from '#app/routes/_app.experts.$expertId.status.tsx'
import { action as admitAction } from '#app/routes/_app.experts.new.tsx'
import { action as decideAction, loader as inboxLoader } from '#app/routes/_app.experts.recommendations.tsx'
import { createExpert } from '#db/seed/expert-pool.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { BEIJING, HAIDIAN, type Pool, buildPool, freshIdNumber } from '#tests/experts/world.ts'
import { call } from '#tests/security/world.ts'

let pool: Pool

beforeAll(async () => {
  pool = await buildPool(testDb())
})

const db = () => testDb()

function admission(overrides: Record<string, string | string[]> = {}) {
  const birthDate = '1972-03-08'
  return {
    name: '李明华',
    gender: 'male',
    birthDate,
    idNumber: freshIdNumber(birthDate),
    phone: '13911112222',
    tier: 'district',
    regionCode: HAIDIAN,
    employer: '北京大学第三医院',
    title: '主任医师',
    professions: ['medicine'],
    primaryDomains: ['医疗'],
    secondaryDomains: ['损害赔偿'],
    specialties: ['医疗'],
    languages: '普通话、英语',
    termStart: '2026-12-01',
    termEnd: '2031-11-30',
    maxConcurrentCases: '3',
    contactPreference: 'phone',
    ...overrides,
  }
}

async function auditRows(recordId: string, action: string) {
  return db().selectFrom('audit_log').selectAll().where('record_id', '=', recordId).where('action', '=', action).execute()
}

describe(`admitting experts (${testDialect()})`, () => {
  it('admits an expert with person, profile, domains, first term, history and audit in one go', async () => {
    const form = admission()
    const outcome = await call(admitAction, '/experts/new', { cookie: pool.users.hdStaff.cookie, form })
    expect(outcome.status).toBe(302)
    const person = await db()
      .selectFrom('people')
      .selectAll()
      .where('id_number_hash', '=', lookupHash('id', form.idNumber as string))
      .executeTakeFirstOrThrow()
    expect(outcome.location).toBe(`/experts/${person.id}`)
    expect(person.id_number_enc).not.toContain(form.idNumber)
    expect(person.id_number_masked).toMatch(/^110108\*{8}/)
    const expert = await db().selectFrom('experts').selectAll().where('person_id', '=', person.id).executeTakeFirstOrThrow()
    expect(expert).toMatchObject({
      tier: 'district',
      region_code: HAIDIAN,
      status: 'active',
      term_end: '2031-11-30',
      created_by: pool.users.hdStaff.id,
    })
    expect(JSON.parse(expert.languages)).toEqual(['普通话', '英语'])
    const domains = await db()
      .selectFrom('expert_domains')
      .select(['dispute_type_code', 'role'])
      .where('expert_id', '=', person.id)
      .orderBy('role')
      .execute()
    expect(domains).toEqual([
      { dispute_type_code: '医疗', role: 'primary' },
      { dispute_type_code: '损害赔偿', role: 'secondary' },
      { dispute_type_code: '医疗', role: 'specialty' },
    ])
    expect(await db().selectFrom('expert_terms').select('kind').where('expert_id', '=', person.id).execute()).toEqual([
      { kind: 'appointed' },
    ])
    const [entry] = await auditRows(person.id, 'expert.admit')
    expect(entry!.detail).not.toContain(form.idNumber)
    expect(entry!.detail).not.toContain('13911112222')
  })

  it('refuses a second expert with the same ID number and links the existing one', async () => {
    const form = admission()
    expect((await call(admitAction, '/experts/new', { cookie: pool.users.hdStaff.cookie, form })).status).toBe(302)
    const again = await call(admitAction, '/experts/new', { cookie: pool.users.hdStaff.cookie, form: { ...form, name: '李明华' } })
    expect(again.status).toBe(400)
    const data = again.data as { result: { error: Record<string, string[]> }; duplicateOf: { id: string } | null }
    expect(data.result.error.idNumber).toEqual(['experts.validation.duplicate'])
    const existing = await db()
      .selectFrom('people')
      .select('id')
      .where('id_number_hash', '=', lookupHash('id', form.idNumber as string))
      .execute()
    expect(existing).toHaveLength(1)
    expect(data.duplicateOf?.id).toBe(existing[0]!.id)
  })

  it('refuses tiers and regions that are not the user’s body, and forged values', async () => {
    const municipal = await call(admitAction, '/experts/new', {
      cookie: pool.users.hdStaff.cookie,
      form: admission({ tier: 'municipal', regionCode: BEIJING }),
    })
    expect(municipal.status).toBe(400)
    expect((municipal.data as { result: { error: Record<string, string[]> } }).result.error.regionCode).toEqual(['validation.choice'])
    const national = await call(admitAction, '/experts/new', {
      cookie: pool.users.bjStaff.cookie,
      form: admission({ tier: 'national', regionCode: BEIJING }),
    })
    expect(national.status).toBe(400)
    expect((national.data as { result: { error: Record<string, string[]> } }).result.error.tier).toEqual(['experts.validation.notYourBody'])
    const asExpert = await call(admitAction, '/experts/new', { cookie: pool.users.expert.cookie, form: admission() })
    expect(asExpert.status).toBe(403)
  })

  it('warns at the age limit and admits once the warning is confirmed', async () => {
    const birthDate = '1958-01-10'
    const form = admission({ birthDate, idNumber: freshIdNumber(birthDate) })
    const warned = await call(admitAction, '/experts/new', { cookie: pool.users.hdStaff.cookie, form })
    expect(warned.status).toBe(400)
    expect((warned.data as { ageWarning: boolean; result: { error: Record<string, string[]> } }).ageWarning).toBe(true)
    expect((warned.data as { result: { error: Record<string, string[]> } }).result.error['']).toEqual([
      'experts.age.warning?age=73&limit=70',
    ])
    const hash = lookupHash('id', form.idNumber as string)
    expect(await db().selectFrom('people').select('id').where('id_number_hash', '=', hash).execute()).toHaveLength(0)
    const confirmed = await call(admitAction, '/experts/new', { cookie: pool.users.hdStaff.cookie, form: { ...form, confirmAge: 'on' } })
    expect(confirmed.status).toBe(302)
  })

  it('reads the age limit from settings', async () => {
    await db()
      .insertInto('settings')
      .values({ key: 'experts.ageLimit', value: '80', version: 1, updated_at: new Date().toISOString(), updated_by: null })
      .execute()
    try {
      const birthDate = '1958-01-11'
      const outcome = await call(admitAction, '/experts/new', {
        cookie: pool.users.hdStaff.cookie,
        form: admission({ birthDate, idNumber: freshIdNumber(birthDate) }),
      })
      expect(outcome.status).toBe(302)
    } finally {
      await db().deleteFrom('settings').where('key', '=', 'experts.ageLimit').execute()
    }
  })
})

describe(`changing experts (${testDialect()})`, () => {
  it('changes status only with a reason, records history and audits before and after', async () => {
    const { expert } = await createExpert(db(), { region_code: HAIDIAN })
    const path = `/experts/${expert.person_id}/status`
    const params = { expertId: expert.person_id }
    const noReason = await call(statusAction, path, {
      cookie: pool.users.hdStaff.cookie,
      params,
      form: { status: 'suspended', version: 1 },
    })
    expect(noReason.status).toBe(400)
    const done = await call(statusAction, path, {
      cookie: pool.users.hdStaff.cookie,
      params,
      form: { status: 'suspended', reason: '本人申请暂停半年', version: 1 },
    })
    expect(done.status).toBe(302)
    expect(
      await db().selectFrom('experts').select(['status', 'version']).where('person_id', '=', expert.person_id).executeTakeFirst(),
    ).toEqual({ status: 'suspended', version: 2 })
    const history = await db()
      .selectFrom('expert_status_changes')
      .select(['from_status', 'to_status', 'reason', 'changed_by'])
      .where('expert_id', '=', expert.person_id)
      .where('from_status', 'is not', null)
      .execute()
    expect(history).toEqual([
      { from_status: 'active', to_status: 'suspended', reason: '本人申请暂停半年', changed_by: pool.users.hdStaff.id },
    ])
    const [entry] = await auditRows(expert.person_id, 'expert.status')
    expect(JSON.parse(entry!.detail!)).toEqual({ before: 'active', after: 'suspended', reason: '本人申请暂停半年' })
    // Removal is final.
    await call(statusAction, path, {
      cookie: pool.users.hdStaff.cookie,
      params,
      form: { status: 'removed', reason: '多次拒绝参与调解', version: 2 },
    })
    const back = await call(statusAction, path, {
      cookie: pool.users.hdStaff.cookie,
      params,
      form: { status: 'active', reason: '恢复', version: 3 },
    })
    expect(back.status).toBe(400)
  })

  it('catches concurrent edits with the version: the second save is told, nothing is overwritten', async () => {
    const { expert, person } = await createExpert(db(), { region_code: HAIDIAN, employer: '原单位' })
    const form = {
      name: person!.name,
      gender: person!.gender!,
      birthDate: person!.birth_date!,
      employer: '第一次保存的单位',
      professions: ['law'],
      primaryDomains: ['合同'],
      maxConcurrentCases: '3',
      contactPreference: 'phone',
      version: '1',
    }
    const params = { expertId: expert.person_id }
    const first = await call(editAction, `/experts/${expert.person_id}/edit`, { cookie: pool.users.hdStaff.cookie, params, form })
    expect(first.status).toBe(302)
    const second = await call(editAction, `/experts/${expert.person_id}/edit`, {
      cookie: pool.users.hdStaff.cookie,
      params,
      form: { ...form, employer: '第二次保存的单位' },
    })
    expect(second.status).toBe(409)
    expect((second.data as { result: { error: Record<string, string[]> } }).result.error['']).toEqual(['form.staleVersion'])
    expect(
      await db().selectFrom('experts').select(['employer', 'version']).where('person_id', '=', expert.person_id).executeTakeFirst(),
    ).toEqual({
      employer: '第一次保存的单位',
      version: 2,
    })
  })

  it('ignores fields a form does not offer (no mass assignment)', async () => {
    const { expert, person } = await createExpert(db(), { region_code: HAIDIAN })
    const outcome = await call(editAction, `/experts/${expert.person_id}/edit`, {
      cookie: pool.users.hdStaff.cookie,
      params: { expertId: expert.person_id },
      form: {
        name: person!.name,
        gender: person!.gender!,
        birthDate: person!.birth_date!,
        employer: '新单位',
        professions: ['law'],
        primaryDomains: ['合同'],
        maxConcurrentCases: '3',
        contactPreference: 'phone',
        version: '1',
        tier: 'national',
        status: 'removed',
        region_code: BEIJING,
        term_end: '2099-12-31',
      },
    })
    expect(outcome.status).toBe(302)
    expect(
      await db()
        .selectFrom('experts')
        .select(['tier', 'status', 'region_code', 'term_end', 'employer'])
        .where('person_id', '=', expert.person_id)
        .executeTakeFirst(),
    ).toEqual({
      tier: 'district',
      status: 'active',
      region_code: HAIDIAN,
      term_end: expert.term_end,
      employer: '新单位',
    })
  })

  it('renews a term as a new term row, refusing overlaps and warning at the age limit', async () => {
    const { expert } = await createExpert(db(), {
      region_code: HAIDIAN,
      term_start: '2022-01-01',
      term_end: '2026-12-31',
      person: { birth_date: '1980-05-05' },
    })
    const params = { expertId: expert.person_id }
    const path = `/experts/${expert.person_id}/renew`
    const overlap = await call(renewAction, path, {
      cookie: pool.users.hdStaff.cookie,
      params,
      form: { termStart: '2026-12-01', termEnd: '2031-11-30', version: 1 },
    })
    expect(overlap.status).toBe(400)
    const renewed = await call(renewAction, path, {
      cookie: pool.users.hdStaff.cookie,
      params,
      form: { termStart: '2027-01-01', termEnd: '2031-12-31', note: '考评合格', version: 1 },
    })
    expect(renewed.status).toBe(302)
    expect(
      await db()
        .selectFrom('experts')
        .select(['term_start', 'term_end', 'version'])
        .where('person_id', '=', expert.person_id)
        .executeTakeFirst(),
    ).toEqual({
      term_start: '2027-01-01',
      term_end: '2031-12-31',
      version: 2,
    })
    const terms = await db()
      .selectFrom('expert_terms')
      .select(['kind', 'start_date', 'end_date', 'note'])
      .where('expert_id', '=', expert.person_id)
      .orderBy('start_date')
      .execute()
    expect(terms.map((t) => t.kind)).toEqual(['appointed', 'renewed'])
    expect(terms[1]).toMatchObject({ start_date: '2027-01-01', end_date: '2031-12-31', note: '考评合格' })
    expect(await auditRows(expert.person_id, 'expert.renew')).toHaveLength(1)

    const old = await createExpert(db(), {
      region_code: HAIDIAN,
      term_start: '2022-01-01',
      term_end: '2026-12-31',
      person: { birth_date: '1958-02-02' },
    })
    const warned = await call(renewAction, `/experts/${old.expert.person_id}/renew`, {
      cookie: pool.users.hdStaff.cookie,
      params: { expertId: old.expert.person_id },
      form: { termStart: '2027-01-01', termEnd: '2031-12-31', version: 1 },
    })
    expect(warned.status).toBe(400)
    expect((warned.data as { ageWarning: boolean }).ageWarning).toBe(true)
    expect(await db().selectFrom('expert_terms').select('id').where('expert_id', '=', old.expert.person_id).execute()).toHaveLength(1)
  })
})

describe(`recommending upward (${testDialect()})`, () => {
  it('sends a district expert to the city, which accepts: tier and region move, history stays', async () => {
    const { expert } = await createExpert(db(), { region_code: HAIDIAN })
    const params = { expertId: expert.person_id }
    const sent = await call(recommendAction, `/experts/${expert.person_id}/recommend`, {
      cookie: pool.users.hdStaff.cookie,
      params,
      form: { reason: '成绩突出，推荐至市级' },
    })
    expect(sent.status).toBe(302)
    const twice = await call(recommendAction, `/experts/${expert.person_id}/recommend`, {
      cookie: pool.users.hdStaff.cookie,
      params,
      form: { reason: '再次推荐' },
    })
    expect(twice.status).toBe(400)
    const rec = await db()
      .selectFrom('expert_recommendations')
      .selectAll()
      .where('expert_id', '=', expert.person_id)
      .executeTakeFirstOrThrow()
    expect(rec).toMatchObject({
      from_tier: 'district',
      from_region_code: HAIDIAN,
      to_tier: 'municipal',
      to_region_code: BEIJING,
      status: 'pending',
    })

    // Haidian cannot decide what is addressed to Beijing; Beijing sees it in its inbox.
    const wrongBody = await call(decideAction, '/experts/recommendations', {
      cookie: pool.users.hdStaff.cookie,
      form: { intent: 'accept', recommendationId: rec.id, version: 1 },
    })
    expect(wrongBody.status).toBe(404)
    const inbox = await call(inboxLoader, '/experts/recommendations', { cookie: pool.users.bjStaff.cookie })
    expect((inbox.data as { rows: { id: string }[] }).rows.map((r) => r.id)).toContain(rec.id)

    const accepted = await call(decideAction, '/experts/recommendations', {
      cookie: pool.users.bjStaff.cookie,
      form: { intent: 'accept', recommendationId: rec.id, version: 1, reason: '同意' },
    })
    expect(accepted.status).toBe(302)
    expect(
      await db().selectFrom('experts').select(['tier', 'region_code']).where('person_id', '=', expert.person_id).executeTakeFirst(),
    ).toEqual({
      tier: 'municipal',
      region_code: BEIJING,
    })
    expect(
      await db()
        .selectFrom('expert_recommendations')
        .select(['status', 'from_tier', 'decided_by', 'pending_key'])
        .where('id', '=', rec.id)
        .executeTakeFirst(),
    ).toEqual({
      status: 'accepted',
      from_tier: 'district',
      decided_by: pool.users.bjStaff.id,
      pending_key: null,
    })
    expect(await auditRows(expert.person_id, 'expert.recommendation.accept')).toHaveLength(1)
  })

  it('declines only with a reason, and the expert stays where they were', async () => {
    const { expert } = await createExpert(db(), { region_code: HAIDIAN })
    await call(recommendAction, `/experts/${expert.person_id}/recommend`, {
      cookie: pool.users.hdStaff.cookie,
      params: { expertId: expert.person_id },
      form: { reason: '推荐' },
    })
    const rec = await db()
      .selectFrom('expert_recommendations')
      .select('id')
      .where('expert_id', '=', expert.person_id)
      .executeTakeFirstOrThrow()
    const noReason = await call(decideAction, '/experts/recommendations', {
      cookie: pool.users.bjStaff.cookie,
      form: { intent: 'decline', recommendationId: rec.id, version: 1 },
    })
    expect(noReason.status).toBe(400)
    const declined = await call(decideAction, '/experts/recommendations', {
      cookie: pool.users.bjStaff.cookie,
      form: { intent: 'decline', recommendationId: rec.id, version: 1, reason: '名额已满' },
    })
    expect(declined.status).toBe(302)
    expect(await db().selectFrom('experts').select('tier').where('person_id', '=', expert.person_id).executeTakeFirst()).toEqual({
      tier: 'district',
    })
    expect(
      await db().selectFrom('expert_recommendations').select(['status', 'decision_reason']).where('id', '=', rec.id).executeTakeFirst(),
    ).toEqual({
      status: 'declined',
      decision_reason: '名额已满',
    })
  })
})
