/**
 * A small statistics fixture on top of the security world (Haidian and Chaoyang committees, one
 * user per role), with numbers chosen so every statistic can be computed by hand; the expected
 * figures are worked out in app/modules/stats/stats.db.test.ts. Period under test: 2026.
 */
import type { Executor } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import { createExpert } from '#db/seed/expert-pool.ts'
import type { CaseDifficulty, CaseSource, CaseStatus, ConsultationStatus } from '#db/schema.ts'
import { CHAOYANG, HAIDIAN, type World, buildWorld } from '#tests/security/world.ts'

export interface StatsWorld extends World {
  experts: Record<'e1' | 'e2' | 'e3' | 'e4' | 'e5', string>
  cases: Record<'c1' | 'c2' | 'c3' | 'c4' | 'c5', string>
  submissions: Record<'l1' | 'l2' | 'l3', string>
}

const at = (day: string) => `${day}T00:00:00.000Z`

export async function buildStatsWorld(db: Executor): Promise<StatsWorld> {
  const world = await buildWorld(db)
  const { hdCommittee, hdCommittee2, cyCommittee } = world.orgs
  const { hdMediator, hdMediator2, hdOther, cyMediator } = world.people

  // Experts: three in Haidian (one suspended), one in Chaoyang, one municipal (Beijing).
  const expert = async (input: Parameters<typeof createExpert>[1]) => (await createExpert(db, input)).expert.person_id
  const experts = {
    e1: await expert({ tier: 'district', region_code: HAIDIAN, primary: ['合同'] }),
    e2: await expert({ tier: 'district', region_code: HAIDIAN, primary: ['合同', '婚姻家庭'] }),
    e3: await expert({ tier: 'district', region_code: CHAOYANG, primary: ['婚姻家庭'] }),
    e4: await expert({ tier: 'district', region_code: HAIDIAN, status: 'suspended', primary: ['合同'] }),
    e5: await expert({ tier: 'municipal', region_code: '110000', primary: ['合同'] }),
  }
  const load = (expertId: string, active: number) => ({
    expert_id: expertId,
    active_count: active,
    completed_count: 0,
    rating_count: 0,
    rating_sum: 0,
    hours_tenths: 0,
    last_assigned_on: null,
    updated_at: at('2026-06-01'),
  })
  await db
    .insertInto('expert_loads')
    .values([load(experts.e1, 2), load(experts.e3, 1)])
    .execute()

  // Cases.
  let seq = 0
  const kase = async (input: {
    org: string
    region: string
    source: CaseSource
    difficulty: CaseDifficulty
    status: CaseStatus
    registered: string
    concluded?: string
    type?: string
  }) => {
    const id = newId()
    seq++
    await db
      .insertInto('cases')
      .values({
        id,
        case_number: `测试-2026-${seq}`,
        org_id: input.org,
        case_year: Number(input.registered.slice(0, 4)),
        case_seq: seq,
        title: `案件${seq}`,
        summary: '摘要',
        dispute_type_code: input.type ?? '合同',
        domains: '[]',
        region_code: input.region,
        source: input.source,
        difficulty: input.difficulty,
        amount_fen: null,
        party_count: 2,
        experts_needed: 1,
        experts_assigned: 0,
        requirements: '{}',
        requires_outside_region: 0,
        consultation_mode: 'written',
        period_start: input.registered,
        period_end: input.registered,
        deadline: input.registered,
        status: input.status,
        registered_at: at(input.registered),
        accepted_at: null,
        mediation_started_at: null,
        concluded_at: input.concluded ? at(input.concluded) : null,
        closed_at: null,
        archived_at: null,
        outcome_note: null,
        version: 1,
        created_by: null,
        created_at: at(input.registered),
        updated_at: at(input.registered),
      })
      .execute()
    return id
  }
  const cases = {
    c1: await kase({
      org: hdCommittee,
      region: HAIDIAN,
      source: 'court',
      difficulty: 'complex',
      status: 'succeeded',
      registered: '2026-03-01',
      concluded: '2026-03-11',
    }),
    c2: await kase({
      org: hdCommittee,
      region: HAIDIAN,
      source: 'party',
      difficulty: 'ordinary',
      status: 'failed',
      registered: '2026-04-01',
      concluded: '2026-04-21',
      type: '婚姻家庭',
    }),
    c3: await kase({
      org: hdCommittee2,
      region: HAIDIAN,
      source: 'court',
      difficulty: 'major',
      status: 'consulting',
      registered: '2026-05-01',
    }),
    c4: await kase({
      org: cyCommittee,
      region: CHAOYANG,
      source: 'police',
      difficulty: 'ordinary',
      status: 'closed',
      registered: '2026-02-01',
      concluded: '2026-02-05',
    }),
    c5: await kase({
      org: hdCommittee,
      region: HAIDIAN,
      source: 'party',
      difficulty: 'ordinary',
      status: 'closed',
      registered: '2025-06-01',
      concluded: '2025-06-02',
    }),
  }
  const consult = (caseId: string, expertId: string, status: ConsultationStatus, invited: string, responded: string | null) => ({
    id: newId(),
    case_id: caseId,
    expert_id: expertId,
    status,
    source: 'recommended' as const,
    override_reason: null,
    mode: 'written' as const,
    deadline: '2026-12-31',
    score_total: null,
    score_components: null,
    config_version: 1,
    invited_by: null,
    invited_at: at(invited),
    responded_at: responded ? at(responded) : null,
    decline_reason: null,
    opinion_issues: null,
    opinion_analysis: null,
    opinion_resolution: null,
    opinion_legal_basis: null,
    hours_tenths: null,
    submitted_at: null,
    rating: null,
    rating_comment: null,
    rated_by: null,
    rated_at: null,
    version: 1,
  })
  await db
    .insertInto('case_consultations')
    .values([
      consult(cases.c1, experts.e1, 'rated', '2026-03-01', '2026-03-02'),
      consult(cases.c1, experts.e2, 'declined', '2026-03-01', '2026-03-04'),
      consult(cases.c2, experts.e1, 'submitted', '2026-04-01', '2026-04-03'),
      consult(cases.c3, experts.e2, 'invited', '2026-05-01', null),
      consult(cases.c4, experts.e3, 'accepted', '2026-02-01', '2026-02-02'),
    ])
    .execute()

  // Training: a Haidian plan for 2026 (full-time 4 h, part-time 3 h), none for Chaoyang.
  await db
    .insertInto('training_plans')
    .values({
      id: newId(),
      year: 2026,
      scope_key: `region:${HAIDIAN}`,
      region_code: HAIDIAN,
      org_id: null,
      full_time_tenths: 40,
      part_time_tenths: 30,
      sector_tenths: 30,
      pre_service_months: 3,
      version: 1,
      created_by: null,
      created_at: at('2026-01-01'),
      updated_at: at('2026-01-01'),
    })
    .execute()
  const record = (
    personId: string,
    tenths: number,
    day: string,
    extra: { status?: 'approved' | 'pending'; source?: 'online' | 'offline'; course?: string; preService?: boolean } = {},
  ) => ({
    id: newId(),
    person_id: personId,
    source: extra.source ?? 'offline',
    completion_key: `stats:${newId()}`,
    course_slug: extra.course ?? null,
    session_id: null,
    title: extra.course ? '测试课程' : '线下培训',
    kind: extra.preService ? ('pre_service' as const) : ('annual' as const),
    format: 'classroom' as const,
    organiser: null,
    hours_tenths: tenths,
    year: Number(day.slice(0, 4)),
    completed_on: day,
    assessment: null,
    status: extra.status ?? 'approved',
    created_at: at(day),
    created_by: null,
  })
  await db
    .insertInto('training_records')
    .values([
      record(hdMediator.id, 40, '2026-03-01', { preService: true }),
      record(hdMediator.id, 10, '2026-04-01', { source: 'online', course: 'stats-course' }),
      record(hdMediator2.id, 20, '2026-03-01'),
      record(hdMediator2.id, 50, '2026-03-02', { status: 'pending' }),
      record(hdOther.id, 30, '2025-05-01'),
      record(cyMediator.id, 100, '2026-03-01'),
    ])
    .execute()
  const progress = (personId: string, module: string, completed: string | null) => ({
    id: newId(),
    person_id: personId,
    course_slug: 'stats-course',
    module_slug: module,
    started_at: at('2026-03-20'),
    last_seen_at: at('2026-03-20'),
    completed_at: completed ? at(completed) : null,
    content_hash: null,
    check_attempts: 0,
    check_score: null,
  })
  await db
    .insertInto('training_progress')
    .values([
      progress(hdMediator.id, 'm1', '2026-03-21'),
      progress(hdMediator.id, 'm2', null),
      progress(hdMediator2.id, 'm1', null),
      progress(cyMediator.id, 'm1', '2026-03-22'),
    ])
    .execute()

  // Drills: four quiz attempts and one drafting attempt in Haidian, one quiz attempt in Chaoyang.
  const attempt = (
    personId: string,
    userId: string,
    slug: string,
    score: number,
    passed: 0 | 1 | null,
    correct: Record<string, boolean> | null,
    region: string,
    org: string,
    no = 1,
  ) => ({
    id: newId(),
    drill_slug: slug,
    kind: slug.startsWith('drafting') ? ('drafting' as const) : ('quiz' as const),
    person_id: personId,
    user_id: userId,
    event_id: null,
    org_id: org,
    region_code: region,
    attempt_no: no,
    status: 'graded' as const,
    revision: 0,
    seed: 'seed',
    items: null,
    answers: '{}',
    result: correct ? JSON.stringify({ correct, points: 0, maxPoints: 0 }) : null,
    score,
    passed,
    started_at: at('2026-06-01'),
    last_seen_at: at('2026-06-01'),
    deadline_at: null,
    submitted_at: at('2026-06-01'),
    graded_at: at('2026-06-01'),
    time_spent_seconds: 60,
    version: 1,
  })
  const u = world.users.mediator.id
  await db
    .insertInto('drill_attempts')
    .values([
      attempt(hdMediator.id, u, 'quiz-stats', 100, 1, { a: true, b: true }, HAIDIAN, hdCommittee),
      attempt(hdMediator2.id, u, 'quiz-stats', 50, 0, { a: true, b: false }, HAIDIAN, hdCommittee),
      attempt(hdOther.id, u, 'quiz-stats', 50, 0, { a: false, b: true }, HAIDIAN, hdCommittee2),
      attempt(hdMediator.id, u, 'quiz-stats', 0, 0, { a: false, b: true }, HAIDIAN, hdCommittee, 2),
      attempt(hdMediator2.id, u, 'drafting-stats', 85, null, null, HAIDIAN, hdCommittee),
      attempt(cyMediator.id, u, 'quiz-stats', 95, 1, { a: true, b: true }, CHAOYANG, cyCommittee),
    ])
    .execute()

  // Library: three Haidian submissions in 2026 (accepted, returned, under review), one draft, one in Chaoyang.
  const submission = (
    title: string,
    status: 'draft' | 'submitted' | 'returned' | 'accepted',
    submitted: string | null,
    region: string,
    org: string,
    personId: string,
  ) => ({
    id: newId(),
    author_user_id: u,
    author_person_id: personId,
    org_id: org,
    scope_region_code: region,
    title,
    dispute_type: '合同',
    domains: '[]',
    region_code: region,
    year: 2026,
    source: 'party',
    outcome: 'agreement',
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
    submitted_at: submitted ? at(submitted) : null,
    accepted_at: status === 'accepted' && submitted ? at(submitted) : null,
    accepted_by: null,
    created_at: at('2026-01-15'),
    updated_at: at('2026-01-15'),
  })
  const l1 = submission('录用的案例', 'accepted', '2026-03-05', HAIDIAN, hdCommittee, hdMediator.id)
  const l2 = submission('退回的案例', 'returned', '2026-04-05', HAIDIAN, hdCommittee, hdMediator.id)
  const l3 = submission('评审中的案例', 'submitted', '2026-04-20', HAIDIAN, hdCommittee2, hdOther.id)
  const draft = submission('草稿', 'draft', null, HAIDIAN, hdCommittee, hdMediator.id)
  const cy = submission('朝阳案例', 'accepted', '2026-03-01', CHAOYANG, cyCommittee, cyMediator.id)
  await db.insertInto('library_submissions').values([l1, l2, l3, draft, cy]).execute()
  const review = (submissionId: string, decision: 'accept' | 'return', day: string) => ({
    id: newId(),
    submission_id: submissionId,
    revision: 1,
    reviewer_user_id: world.users.reviewer.id,
    reviewer_name: '评审',
    decision,
    scores: '{}',
    total: 0,
    comments: '',
    created_at: at(day),
  })
  await db
    .insertInto('library_reviews')
    .values([review(l1.id, 'accept', '2026-03-10'), review(l2.id, 'return', '2026-04-10'), review(cy.id, 'accept', '2026-03-10')])
    .execute()
  await db
    .insertInto('library_bookmarks')
    .values([
      { user_id: world.users.mediator.id, case_key: l1.id, created_at: at('2026-05-01') },
      { user_id: world.users.hdStaff.id, case_key: l1.id, created_at: at('2026-05-01') },
      { user_id: world.users.hdStaff.id, case_key: cy.id, created_at: at('2026-05-01') },
    ])
    .execute()

  // Grades: Haidian 四级 and 三级 (over a superseded 四级), Chaoyang 四级; hdOther ungraded.
  const grade = (personId: string, rank: number, name: string, status: 'current' | 'superseded') => ({
    id: newId(),
    person_id: personId,
    association_org_id: world.orgs.hdAssociation,
    grade_code: `g${rank}`,
    grade_name: name,
    grade_rank: rank,
    status,
    valid_from: '2025-01-01',
    valid_until: '2027-12-31',
    source: 'import' as const,
    round_id: null,
    application_id: null,
    change_reason: null,
    notice_start_on: null,
    notice_end_on: null,
    changed_by: null,
    changed_at: null,
    version: 1,
    created_at: at('2025-01-01'),
  })
  await db
    .insertInto('mediator_grades')
    .values([
      grade(hdMediator.id, 4, '四级调解员', 'current'),
      grade(hdMediator2.id, 4, '四级调解员', 'superseded'),
      grade(hdMediator2.id, 3, '三级调解员', 'current'),
      grade(cyMediator.id, 4, '四级调解员', 'current'),
    ])
    .execute()

  return { ...world, experts, cases, submissions: { l1: l1.id, l2: l2.id, l3: l3.id } }
}
