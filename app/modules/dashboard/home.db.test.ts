/**
 * The home dashboard per role, through the home route's loader with real sessions: the right
 * panels for each role and hand-counted numbers on a small fixture (dates relative to today, so
 * the test means the same whenever it runs). Scope: Haidian staff see Haidian, the committee
 * manager sees their committee, Beijing staff see both districts.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import { todayInChina } from '#app/lib/time.ts'
import { type AuthUser, loadGrants } from '#app/modules/auth/authz.server.ts'
import { loader } from '#app/routes/_app._index.tsx'
import type { CaseStatus, ConsultationStatus, ExpertTier } from '#db/schema.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { createOrganisation, createPerson, createUser, createTrainingRecord } from '#tests/fixtures/factories.ts'
import { BEIJING, CHAOYANG, HAIDIAN, type World, buildWorld, call, cookieFor } from '#tests/security/world.ts'
import { type HomeDashboard, clearDashboardCache, homeDashboard } from './home.server.ts'
import { shiftDate } from './panels.ts'

let world: World
let expertCookie: string
const now = new Date()
const T = todayInChina(now)
const Y = Number(T.slice(0, 4))
const at = (days: number, time = '02:00:00.000Z') => `${shiftDate(T, days)}T${time}`
const ago = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString()
const ids = { rounds: {} as Record<string, string>, cases: {} as Record<string, string>, experts: {} as Record<string, string> }

async function home(cookie: string): Promise<HomeDashboard> {
  const outcome = await call(loader, '/', { cookie })
  expect(outcome.status).toBe(200)
  return (outcome.data as { dashboard: HomeDashboard }).dashboard
}

async function expert(
  key: string,
  tier: ExpertTier,
  regionCode: string | null,
  domain: string,
  termEnd: string,
  status: 'active' | 'retired' = 'active',
) {
  const person = await createPerson(testDb(), { region_code: regionCode ?? BEIJING })
  const stamp = new Date().toISOString()
  await testDb()
    .insertInto('experts')
    .values({
      person_id: person.id,
      name: person.name,
      tier,
      region_code: regionCode,
      appointing_org_id: null,
      employer: '测试单位',
      professions: '[]',
      languages: '[]',
      term_start: shiftDate(termEnd, -365 * 3),
      term_end: termEnd,
      status,
      max_concurrent_cases: 3,
      contact_preference: 'phone',
      version: 1,
      created_at: stamp,
      updated_at: stamp,
    })
    .execute()
  await testDb().insertInto('expert_domains').values({ expert_id: person.id, dispute_type_code: domain, role: 'primary' }).execute()
  ids.experts[key] = person.id
  return person.id
}

let caseSeq = 0
async function kase(
  key: string,
  orgId: string,
  region: string,
  status: CaseStatus,
  start: { registered: string; accepted?: string },
  needed: number,
  assigned: number,
  extensionDays?: number,
) {
  const id = newId()
  caseSeq++
  await testDb()
    .insertInto('cases')
    .values({
      id,
      case_number: `（${Y}）测调字第 ${caseSeq} 号`,
      org_id: orgId,
      case_year: Y,
      case_seq: caseSeq,
      title: `案件 ${key}`,
      summary: '概要',
      dispute_type_code: '合同',
      domains: '[]',
      region_code: region,
      source: extensionDays ? 'court' : 'party',
      difficulty: 'complex',
      party_count: 2,
      experts_needed: needed,
      experts_assigned: assigned,
      requirements: '[]',
      requires_outside_region: 0,
      consultation_mode: 'written',
      period_start: T,
      period_end: T,
      deadline: shiftDate(T, 30),
      status,
      registered_at: start.registered,
      accepted_at: start.accepted ?? null,
      version: 1,
      created_at: start.registered,
      updated_at: start.registered,
    })
    .execute()
  if (extensionDays) {
    await testDb()
      .insertInto('case_decisions')
      .values({
        id: newId(),
        case_id: id,
        kind: 'time_extension',
        subject: 'time_limit',
        days: extensionDays,
        reason: '法院延长',
        created_at: start.registered,
      })
      .execute()
  }
  ids.cases[key] = id
  return id
}

async function consultation(
  caseKey: string,
  expertKey: string,
  status: ConsultationStatus,
  invitedAt: string,
  deadline = shiftDate(T, 10),
) {
  await testDb()
    .insertInto('case_consultations')
    .values({
      id: newId(),
      case_id: ids.cases[caseKey]!,
      expert_id: ids.experts[expertKey]!,
      status,
      source: 'recommended',
      mode: 'written',
      deadline,
      config_version: 1,
      invited_at: invitedAt,
      version: 1,
    })
    .execute()
}

async function trainingRecord(
  personId: string,
  year: number,
  tenths: number,
  status: 'approved' | 'pending',
  kind: 'annual' | 'pre_service' = 'annual',
) {
  await createTrainingRecord(testDb(), {
    person_id: personId,
    source: 'offline',
    title: '培训',
    kind,
    hours_tenths: tenths,
    year,
    completed_on: `${year}-01-15`,
    status,
    created_at: now.toISOString(),
  })
}

async function attempt(
  personId: string,
  userId: string,
  slug: string,
  kind: 'quiz' | 'drafting',
  status: 'in_progress' | 'submitted' | 'graded',
  revision = 0,
  eventId: string | null = null,
) {
  await testDb()
    .insertInto('drill_attempts')
    .values({
      id: newId(),
      drill_slug: slug,
      kind,
      person_id: personId,
      user_id: userId,
      event_id: eventId,
      attempt_no: 1,
      status,
      revision,
      seed: 's',
      answers: '{}',
      started_at: ago(2),
      last_seen_at: ago(1),
      time_spent_seconds: 0,
      version: 1,
    })
    .execute()
}

async function event(target: { org?: string; region?: string }, starts: string, ends: string) {
  const id = newId()
  await testDb()
    .insertInto('drill_events')
    .values({
      id,
      title: '练兵比武',
      slugs: '[]',
      region_code: target.region ?? null,
      org_id: target.org ?? null,
      starts_at: starts,
      ends_at: ends,
      created_at: ago(10),
      version: 1,
    })
    .execute()
  return id
}

async function submission(personId: string, userId: string, status: 'draft' | 'submitted' | 'returned' | 'accepted') {
  const stamp = now.toISOString()
  await testDb()
    .insertInto('library_submissions')
    .values({
      id: newId(),
      author_user_id: userId,
      author_person_id: personId,
      org_id: world.orgs.hdCommittee,
      scope_region_code: HAIDIAN,
      title: '案例',
      dispute_type: '合同',
      domains: '[]',
      region_code: HAIDIAN,
      year: Y,
      source: 'party',
      outcome: 'success',
      amount_range: 'none',
      techniques: '[]',
      legal_basis: '[]',
      tags: '[]',
      summary: '',
      facts: '',
      process: '',
      result: '',
      commentary: '',
      status,
      revision: 1,
      version: 1,
      created_at: stamp,
      updated_at: stamp,
    })
    .execute()
}

async function grade(
  personId: string,
  associationId: string,
  status: 'current' | 'superseded',
  validFrom: string,
  validUntil: string,
  name = '三级人民调解员',
) {
  await testDb()
    .insertInto('mediator_grades')
    .values({
      id: newId(),
      person_id: personId,
      association_org_id: associationId,
      grade_code: 'L3',
      grade_name: name,
      grade_rank: 3,
      status,
      valid_from: validFrom,
      valid_until: validUntil,
      source: 'import',
      version: 1,
      created_at: now.toISOString(),
    })
    .execute()
}

const configs = new Map<string, string>()

async function configOf(associationId: string): Promise<string> {
  if (!configs.has(associationId)) {
    const id = newId()
    await testDb()
      .insertInto('grading_configs')
      .values({ id, association_org_id: associationId, version_no: 1, config: '{}', created_by: 'u', created_at: now.toISOString() })
      .execute()
    configs.set(associationId, id)
  }
  return configs.get(associationId)!
}

async function round(key: string, associationId: string, status: 'scoring' | 'notice' | 'finalised', createdDaysAgo: number) {
  const id = newId()
  const stamp = ago(createdDaysAgo)
  const configId = await configOf(associationId)
  await testDb()
    .insertInto('grading_rounds')
    .values({
      id,
      association_org_id: associationId,
      config_id: configId,
      title: `${Y} 年评定 ${key}`,
      status,
      grade_codes: '["L3"]',
      quotas: '{}',
      applications_open_on: shiftDate(T, -60),
      applications_close_on: shiftDate(T, -30),
      committee: '[]',
      created_by: 'u',
      version: 1,
      created_at: stamp,
      updated_at: stamp,
    })
    .execute()
  ids.rounds[key] = id
  return id
}

async function application(roundKey: string, personId: string, status: 'eligible' | 'ineligible' | 'proposed', n: number) {
  const id = newId()
  const stamp = now.toISOString()
  await testDb()
    .insertInto('grading_applications')
    .values({
      id,
      round_id: ids.rounds[roundKey]!,
      person_id: personId,
      org_id: world.orgs.hdCommittee,
      grade_code: 'L3',
      status,
      blind_code: `G-${n}`,
      applied_by: 'u',
      evidence: '{}',
      eligibility: '{}',
      eligible_auto: 1,
      submitted_at: stamp,
      version: 1,
      created_at: stamp,
      updated_at: stamp,
    })
    .execute()
  return id
}

async function objection(roundKey: string, status: 'open' | 'dismissed') {
  await testDb()
    .insertInto('grading_objections')
    .values({
      id: newId(),
      round_id: ids.rounds[roundKey]!,
      filer_name: '群众',
      filer_contact_enc: 'x',
      filer_contact_masked: '138****0000',
      grounds: '理由',
      status,
      version: 1,
      created_at: now.toISOString(),
    })
    .execute()
}

beforeAll(async () => {
  const db = testDb()
  world = await buildWorld(db)
  const { hdMediator, hdMediator2, hdOther } = world.people
  const mediatorUser = world.users.mediator.id

  // Training: Haidian's plan (40 h full-time, 20 h part-time) is nearer than Beijing's.
  for (const [scope, region, full, part] of [
    [`region:${HAIDIAN}`, HAIDIAN, 400, 200],
    [`region:${BEIJING}`, BEIJING, 300, 100],
  ] as const) {
    await db
      .insertInto('training_plans')
      .values({
        id: newId(),
        year: Y,
        scope_key: scope,
        region_code: region,
        full_time_tenths: full,
        part_time_tenths: part,
        sector_tenths: 300,
        pre_service_months: 12,
        version: 1,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .execute()
  }
  await db.updateTable('mediators').set({ started_on: '2020-01-01' }).where('person_id', '=', hdMediator.id).execute()
  await db
    .updateTable('mediators')
    .set({ started_on: shiftDate(T, -730) })
    .where('person_id', '=', hdMediator2.id)
    .execute()
  await db.updateTable('mediators').set({ started_on: null }).where('person_id', '=', hdOther.id).execute()
  await trainingRecord(hdMediator.id, Y, 120, 'approved')
  await trainingRecord(hdMediator.id, Y, 30, 'approved')
  await trainingRecord(hdMediator.id, Y, 50, 'pending')
  await trainingRecord(hdMediator.id, Y - 1, 100, 'approved')
  await trainingRecord(hdMediator.id, Y - 1, 40, 'approved', 'pre_service')
  await trainingRecord(hdOther.id, Y, 250, 'approved')
  for (const [module, done] of [
    ['m1', false],
    ['m2', false],
    ['m3', true],
  ] as const) {
    await db
      .insertInto('training_progress')
      .values({
        id: newId(),
        person_id: hdMediator.id,
        course_slug: 'course-a',
        module_slug: module,
        started_at: ago(3),
        last_seen_at: module === 'm2' ? ago(1) : ago(2),
        completed_at: done ? ago(1) : null,
        check_attempts: 0,
      })
      .execute()
  }

  // Drills: two events open for the mediator (their committee; Beijing above them), one of them done.
  const e1 = await event({ org: world.orgs.hdCommittee }, ago(1), at(5))
  await event({ region: BEIJING }, ago(1), at(5))
  await event({ region: CHAOYANG }, ago(1), at(5))
  await event({ org: world.orgs.hdCommittee }, ago(10), ago(2))
  await event({ org: world.orgs.hdCommittee }, at(2), at(5))
  await attempt(hdMediator.id, mediatorUser, 'quiz-a', 'quiz', 'in_progress')
  await attempt(hdMediator.id, mediatorUser, 'draft-a', 'drafting', 'submitted')
  await attempt(hdMediator.id, mediatorUser, 'draft-b', 'drafting', 'in_progress', 1)
  await attempt(hdMediator.id, mediatorUser, 'draft-c', 'drafting', 'graded', 0, e1)
  await attempt(hdMediator2.id, mediatorUser, 'draft-a', 'drafting', 'submitted')

  // Library: 2 under review, 1 returned, 1 accepted; someone else's does not count.
  for (const s of ['submitted', 'submitted', 'returned', 'accepted'] as const) await submission(hdMediator.id, mediatorUser, s)
  await submission(hdMediator2.id, mediatorUser, 'submitted')

  // Grades: the mediator's current grade ends in 60 days (within the 90-day warning).
  const otherAssociation = (await createOrganisation(db, { name: '朝阳区人民调解协会', kind: 'association', region_code: CHAOYANG })).id
  await grade(hdMediator.id, world.orgs.hdAssociation, 'superseded', shiftDate(T, -800), shiftDate(T, 30), '四级人民调解员')
  await grade(hdMediator.id, world.orgs.hdAssociation, 'current', shiftDate(T, -10), shiftDate(T, 60))
  await grade(hdMediator2.id, world.orgs.hdAssociation, 'current', shiftDate(T, -10), shiftDate(T, 100))
  await grade(hdOther.id, world.orgs.hdAssociation, 'current', shiftDate(T, -400), shiftDate(T, -1))
  await grade(world.people.cyMediator.id, otherAssociation, 'current', shiftDate(T, -10), shiftDate(T, 10))

  // Grading rounds of the Haidian association (and one of another association).
  await round('r1', world.orgs.hdAssociation, 'scoring', 5)
  await round('r2', world.orgs.hdAssociation, 'notice', 10)
  await round('r3', world.orgs.hdAssociation, 'finalised', 400)
  await round('r4', otherAssociation, 'notice', 3)
  const a1 = await application('r1', hdMediator.id, 'eligible', 1)
  const a2 = await application('r1', hdMediator2.id, 'eligible', 2)
  await application('r1', hdOther.id, 'ineligible', 3)
  await application('r2', hdMediator.id, 'proposed', 1)
  await application('r2', hdMediator2.id, 'proposed', 2)
  for (const [app, reviewer, status] of [
    [a1, 'rev-1', 'submitted'],
    [a1, 'rev-2', 'submitted'],
    [a2, 'rev-1', 'assigned'],
    [a2, 'rev-3', 'removed'],
  ] as const) {
    await db
      .insertInto('grading_assignments')
      .values({
        id: newId(),
        application_id: app,
        round_id: ids.rounds.r1!,
        reviewer_user_id: reviewer,
        reason: 'initial',
        status,
        assigned_at: ago(3),
      })
      .execute()
  }
  await objection('r2', 'open')
  await objection('r2', 'open')
  await objection('r2', 'dismissed')
  await objection('r4', 'open')

  // Expert pool: Haidian staff see Haidian's district experts, Beijing's municipal ones and the national pool.
  await expert('ex1', 'district', HAIDIAN, '医疗', shiftDate(T, 30))
  await expert('ex2', 'district', HAIDIAN, '合同', shiftDate(T, -5))
  await expert('ex3', 'municipal', BEIJING, '医疗', shiftDate(T, 10))
  await expert('ex4', 'national', null, '医疗', shiftDate(T, 900))
  await expert('ex5', 'district', CHAOYANG, '合同', shiftDate(T, 20))
  await expert('ex6', 'district', HAIDIAN, '合同', shiftDate(T, 5), 'retired')
  const { user: expertUser } = await createUser(db, { username: 't.dash.expert', roles: [{ role: 'expert' }], personId: ids.experts.ex1! })
  expertCookie = await cookieFor(expertUser.id)
  await db
    .insertInto('expert_loads')
    .values({
      expert_id: ids.experts.ex1!,
      active_count: 3,
      completed_count: 3,
      rating_count: 2,
      rating_sum: 9,
      hours_tenths: 55,
      updated_at: now.toISOString(),
    })
    .execute()

  // Cases. Time limit: 30 days from acceptance (registration when not accepted), plus any extension.
  const { hdCommittee, hdCommittee2, cyCommittee } = world.orgs
  await kase('c1', hdCommittee, HAIDIAN, 'consulting', { registered: at(-40) }, 2, 1) // overdue, waiting
  await kase('c2', hdCommittee2, HAIDIAN, 'accepted', { registered: at(-31), accepted: at(-30, '01:00:00.000Z') }, 1, 1) // due today
  await kase('c3', hdCommittee, HAIDIAN, 'mediating', { registered: at(-50), accepted: at(-45) }, 1, 0, 30) // extended to day +15, waiting
  await kase('c4', hdCommittee2, HAIDIAN, 'closed', { registered: at(-100) }, 1, 0)
  await kase('c5', cyCommittee, CHAOYANG, 'registered', { registered: at(-50) }, 1, 0) // overdue, waiting
  await kase('c6', hdCommittee2, HAIDIAN, 'accepted', { registered: at(-40), accepted: at(-35) }, 1, 1, 2) // extended by 2, overdue
  await consultation('c1', 'ex1', 'invited', ago(5))
  await consultation('c2', 'ex2', 'invited', ago(1))
  await consultation('c5', 'ex5', 'invited', ago(10))
  await consultation('c1', 'ex2', 'accepted', ago(10))
  await consultation('c2', 'ex1', 'accepted', ago(10), shiftDate(T, 5))
  await consultation('c3', 'ex1', 'accepted', ago(10), shiftDate(T, -1))
  await consultation('c4', 'ex1', 'rated', ago(60))
})

describe(`home dashboard per role (${testDialect()})`, () => {
  it('shows each role its own panels and none to roles without a work list', async () => {
    expect((await home(world.users.mediator.cookie)).panels).toEqual(['mediator'])
    expect((await home(world.users.hdStaff.cookie)).panels).toEqual(['staff'])
    expect((await home(world.users.hdManager.cookie)).panels).toEqual(['staff'])
    expect((await home(world.users.hdAssoc.cookie)).panels).toEqual(['association'])
    expect((await home(expertCookie)).panels).toEqual(['expert'])
    for (const user of ['admin', 'auditor', 'securityAdmin', 'reviewer', 'noGrants'] as const) {
      const dashboard = await home(world.users[user].cookie)
      expect(dashboard.panels, user).toEqual([])
      expect(dashboard.staff ?? dashboard.mediator ?? dashboard.association ?? dashboard.expert, user).toBeNull()
    }
  })

  it('mediator: hours against the nearest plan, modules, drills, library and grade', async () => {
    const m = (await home(world.users.mediator.cookie)).mediator!
    expect(m.year).toBe(Y)
    // 12 + 3 approved this year (the pending 5 and last year's do not count); Haidian's 40 h plan.
    expect(m.training).toMatchObject({ earnedTenths: 150, requiredTenths: 400, percent: 37 })
    expect(m.training.compliance).toMatchObject({ category: 'full_time', missingTenths: 250, behind: true, preService: 'done' })
    expect(m.modulesInProgress).toBe(2)
    expect(m.continueAt).toEqual({ courseSlug: 'course-a', moduleSlug: 'm2' })
    expect(m.drills).toEqual({ openEvents: 2, dueEvents: 1, inProgress: 1, draftsWaiting: 1, draftsReturned: 1, graded: 1 })
    expect(m.library).toEqual({ draft: 0, submitted: 2, returned: 1, accepted: 1 })
    expect(m.grade).toEqual({ name: '三级人民调解员', validUntil: shiftDate(T, 60), state: 'expiring' })
  })

  it('district staff: cases, stale invitations, pool, terms and compliance of their district', async () => {
    const s = (await home(world.users.hdStaff.cookie)).staff!
    expect(s.cases).toEqual({ open: 4, waitingForExperts: 2, overdue: 2 })
    expect(s.staleInvitations).toEqual({ count: 1, days: 3 })
    expect(s.pool?.total).toBe(4)
    expect(s.pool?.byTier).toEqual({ national: 1, provincial: 0, municipal: 1, district: 2 })
    expect(s.pool?.topDomains.map((d) => [d.code, d.n])).toEqual([
      ['医疗', 3],
      ['合同', 1],
    ])
    expect(s.terms).toEqual({ expiring: 1, expired: 1, windowDays: 60 })
    expect(s.compliance).toMatchObject({ year: Y, orgs: 2, mediators: 3, behind: 2, preServiceOverdue: 1, withoutPlan: 0 })
    expect(s.compliance?.worst).toEqual([{ orgId: world.orgs.hdCommittee, orgName: '海淀测试调委会', mediators: 2, behind: 2 }])
  })

  it('city staff see both districts; a committee manager sees only their committee', async () => {
    const bj = (await home(world.users.bjStaff.cookie)).staff!
    expect(bj.cases).toEqual({ open: 5, waitingForExperts: 3, overdue: 3 })
    expect(bj.staleInvitations?.count).toBe(2)
    expect(bj.terms).toEqual({ expiring: 1, expired: 0, windowDays: 60 })
    const manager = (await home(world.users.hdManager.cookie)).staff!
    expect(manager.cases).toEqual({ open: 2, waitingForExperts: 2, overdue: 1 })
    expect(manager.staleInvitations?.count).toBe(1)
    expect(manager.terms).toBeNull()
    expect(manager.compliance).toMatchObject({ orgs: 1, mediators: 2, behind: 2 })
  })

  it('association administrator: running rounds with applications, reviews and objections; grades expiring', async () => {
    const a = (await home(world.users.hdAssoc.cookie)).association!
    expect(a.roundsByStatus).toMatchObject({ scoring: 1, notice: 1, finalised: 1, open: 0 })
    expect(a.rounds.map((r) => r.id)).toEqual([ids.rounds.r1, ids.rounds.r2])
    const [r1, r2] = a.rounds
    expect(r1).toMatchObject({ status: 'scoring', applications: 3, reviews: { assigned: 3, submitted: 2, percent: 66 }, openObjections: 0 })
    expect(r1!.byStatus).toMatchObject({ eligible: 2, ineligible: 1 })
    expect(r2).toMatchObject({
      status: 'notice',
      applications: 2,
      openObjections: 2,
      reviews: { assigned: 0, submitted: 0, percent: null },
    })
    expect(a.openObjections).toBe(2)
    expect(a.gradesExpiring).toEqual({ count: 1, days: 90 })
  })

  it('expert: invitations, opinions due with the overdue one, and their history', async () => {
    const e = (await home(expertCookie)).expert!
    expect(e.registered).toBe(true)
    expect(e.byStatus).toMatchObject({ invited: 1, accepted: 2, rated: 1, declined: 0 })
    expect(e.opinionsOverdue).toBe(1)
    expect(e.nextDeadline).toBe(shiftDate(T, -1))
    expect(e.history).toEqual({ completed: 3, ratingAverage: 4.5, hoursTenths: 55 })
  })

  it("keeps a scope's compliance summary for a few minutes, and recounts once cleared", async () => {
    const before = (await home(world.users.hdManager.cookie)).staff!.compliance!
    expect(before.behind).toBe(2)
    // The part-time mediator reaches 20 h: still counted as behind until the cache is cleared.
    await trainingRecord(world.people.hdMediator2.id, Y, 200, 'approved')
    expect((await home(world.users.hdManager.cookie)).staff!.compliance!.behind).toBe(2)
    clearDashboardCache()
    // Still behind: pre-service training is overdue (started two years ago, none recorded).
    expect((await home(world.users.hdManager.cookie)).staff!.compliance!).toMatchObject({ behind: 2, preServiceOverdue: 1 })
    await trainingRecord(world.people.hdMediator2.id, Y, 40, 'approved', 'pre_service')
    clearDashboardCache()
    expect((await home(world.users.hdManager.cookie)).staff!.compliance!).toMatchObject({ behind: 1, preServiceOverdue: 0 })
  })

  it('past the few minutes, shows the kept summary while one recount runs for the next visit', async () => {
    const user: AuthUser = {
      userId: world.users.hdManager.id,
      personId: null,
      username: 'hd.manager',
      displayName: 'hd.manager',
      sessionHandle: 'test',
      grants: await loadGrants(world.users.hdManager.id),
    }
    // Noon in Beijing today: every visit below falls on the same day (the summary is kept per day).
    const noon = Date.parse(`${T}T04:00:00.000Z`)
    const visit = async (minutes: number) => (await homeDashboard(testDb(), user, new Date(noon + minutes * 60_000))).staff!.compliance!
    clearDashboardCache()
    const first = await visit(0)
    await trainingRecord(world.people.hdMediator.id, Y, 300, 'approved')
    // Within the five minutes: the kept summary, no recount.
    expect(await visit(4)).toEqual(first)
    // Six minutes on: still the kept summary, served at once, while the recount runs...
    expect(await visit(6)).toEqual(first)
    // ...and the next visits get the recount once it is done (the full-time mediator reached 40 h).
    await vi.waitFor(async () => expect((await visit(7)).behind).toBe(first.behind - 1), { timeout: 5_000, interval: 20 })
    // Past the half hour nothing old is shown: the visit waits for a fresh count.
    await testDb()
      .deleteFrom('training_records')
      .where('person_id', '=', world.people.hdMediator.id)
      .where('hours_tenths', '=', 300)
      .execute()
    expect(await visit(45)).toEqual(first)
    clearDashboardCache()
  })

  it('an expert account without an expert record gets an empty panel, not an error', async () => {
    const e = (await home(world.users.expert.cookie)).expert!
    expect(e.registered).toBe(false)
    expect(e.byStatus.invited).toBe(0)
  })
})
