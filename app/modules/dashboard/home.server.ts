/**
 * The signed-in home: one panel per kind of work the user's roles carry (panels.ts decides which).
 * Every number is counted in SQL (count/sum with group by, over existing indexes) within the
 * user's grants (scopeFor and the expert pool's own scopes); no query runs per row.
 */
import { sql } from 'kysely'
import type { Executor } from '#app/lib/db.server.ts'
import { scopeCondition } from '#app/lib/list-scope.server.ts'
import { SwrCache } from '#app/lib/swr-cache.ts'
import { todayInChina } from '#app/lib/time.ts'
import { scopeFor, type AuthUser } from '#app/modules/auth/authz.server.ts'
import { hasPermission } from '#app/modules/auth/policy.ts'
import { OPEN_STATUSES, TIME_LIMIT_DAYS, dueDate } from '#app/modules/cases/model.ts'
import { codesOnPath } from '#app/modules/experts/model.ts'
import { bodyScopeCondition, expertScopeCondition } from '#app/modules/experts/roster.server.ts'
import { expertBodyScope, expertViewScope, isEmptyBodyScope } from '#app/modules/experts/scope.ts'
import { readExpertSettings } from '#app/modules/experts/settings.server.ts'
import { type ComplianceResult, type PlanRule, assess, planFor } from '#app/modules/training/compliance.ts'
import { type OrgSummary, complianceSummary } from '#app/modules/training/compliance.server.ts'
import { complianceLines, readOrgFigures } from '#app/modules/training/org-figures.server.ts'
import type {
  ConsultationStatus,
  ExpertTier,
  GradingApplicationStatus,
  GradingRoundStatus,
  LibrarySubmissionStatus,
  Role,
} from '#db/schema.ts'
import {
  type ExpiryState,
  type PanelKind,
  countsByStatus,
  expiryState,
  overdueStartBefore,
  panelsFor,
  percent,
  shiftDate,
  staleBefore,
  topCounts,
} from './panels.ts'
import { readDashboardSettings } from './settings.server.ts'

const n = (value: unknown) => Number(value ?? 0)

// ---------------------------------------------------------------------------------------------
// Mediator

export interface MediatorPanel {
  year: number
  training: { earnedTenths: number; requiredTenths: number | null; percent: number | null; compliance: ComplianceResult | null }
  modulesInProgress: number
  continueAt: { courseSlug: string; moduleSlug: string } | null
  drills: { openEvents: number; dueEvents: number; inProgress: number; draftsWaiting: number; draftsReturned: number; graded: number }
  library: Record<LibrarySubmissionStatus, number>
  grade: { name: string; validUntil: string; state: ExpiryState } | null
}

const LIBRARY_STATUSES = ['draft', 'submitted', 'returned', 'accepted'] as const satisfies readonly LibrarySubmissionStatus[]

async function mediatorTraining(db: Executor, personId: string, year: number, today: string): Promise<MediatorPanel['training']> {
  const me = await db
    .selectFrom('mediators as m')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .select((eb) => [
      'm.org_id',
      'm.employment',
      'm.started_on',
      'o.kind as org_kind',
      'r.path as org_region_path',
      eb
        .selectFrom('training_records as tr')
        .select(sql<number>`coalesce(sum(tr.hours_tenths), 0)`.as('s'))
        .whereRef('tr.person_id', '=', 'm.person_id')
        .where('tr.year', '=', year)
        .where('tr.status', '=', 'approved')
        .as('earned'),
      eb
        .selectFrom('training_records as ps')
        .select(sql<number>`1`.as('one'))
        .whereRef('ps.person_id', '=', 'm.person_id')
        .where('ps.kind', '=', 'pre_service')
        .where('ps.status', '=', 'approved')
        .limit(1)
        .as('pre_service'),
    ])
    .where('m.person_id', '=', personId)
    .executeTakeFirst()
  if (!me) {
    // A mediator account without a mediator record (not yet registered to a committee): hours only.
    const row = await db
      .selectFrom('training_records')
      .select(sql<number>`coalesce(sum(hours_tenths), 0)`.as('s'))
      .where('person_id', '=', personId)
      .where('year', '=', year)
      .where('status', '=', 'approved')
      .executeTakeFirst()
    return { earnedTenths: n(row?.s), requiredTenths: null, percent: null, compliance: null }
  }
  const plans = await db
    .selectFrom('training_plans as tp')
    .innerJoin('regions as r', 'r.code', 'tp.region_code')
    .select([
      'tp.id',
      'tp.year',
      'r.path',
      'tp.org_id',
      'tp.full_time_tenths',
      'tp.part_time_tenths',
      'tp.sector_tenths',
      'tp.pre_service_months',
    ])
    .where('tp.year', '=', year)
    .where((eb) =>
      eb.or([
        eb('tp.org_id', '=', me.org_id),
        eb.and([eb('tp.org_id', 'is', null), eb('tp.region_code', 'in', codesOnPath(me.org_region_path))]),
      ]),
    )
    .execute()
  const rules: PlanRule[] = plans.map((p) => ({
    id: p.id,
    year: p.year,
    regionPath: p.path,
    orgId: p.org_id,
    fullTimeTenths: p.full_time_tenths,
    partTimeTenths: p.part_time_tenths,
    sectorTenths: p.sector_tenths,
    preServiceMonths: p.pre_service_months,
  }))
  const earned = n(me.earned)
  const plan = planFor(rules, year, { id: me.org_id, regionPath: me.org_region_path })
  if (!plan) return { earnedTenths: earned, requiredTenths: null, percent: null, compliance: null }
  const compliance = assess(
    plan,
    {
      employment: me.employment,
      orgKind: me.org_kind,
      startedOn: me.started_on,
      earnedTenths: earned,
      preServiceDone: me.pre_service !== null,
    },
    today,
  )
  return {
    earnedTenths: earned,
    requiredTenths: compliance.requiredTenths,
    percent: percent(earned, compliance.requiredTenths),
    compliance,
  }
}

async function mediatorDrills(db: Executor, personId: string, now: Date): Promise<MediatorPanel['drills']> {
  const at = now.toISOString()
  const [attempts, where] = await Promise.all([
    db
      .selectFrom('drill_attempts')
      .select((eb) => ['kind', 'status', sql<number>`case when revision > 0 then 1 else 0 end`.as('returned'), eb.fn.countAll().as('n')])
      .where('person_id', '=', personId)
      .groupBy(['kind', 'status', sql`case when revision > 0 then 1 else 0 end`])
      .execute(),
    db
      .selectFrom('mediators as m')
      .innerJoin('people as p', 'p.id', 'm.person_id')
      .innerJoin('regions as r', 'r.code', 'p.region_code')
      .select(['m.org_id', 'r.path'])
      .where('m.person_id', '=', personId)
      .executeTakeFirst(),
  ])
  let openEvents = 0
  let dueEvents = 0
  if (where) {
    // An event reaches the mediator through their organisation or a region on their region's path.
    const open = () =>
      db
        .selectFrom('drill_events as e')
        .where('e.starts_at', '<=', at)
        .where('e.ends_at', '>=', at)
        .where((eb) => eb.or([eb('e.org_id', '=', where.org_id), eb('e.region_code', 'in', codesOnPath(where.path))]))
    const [all, due] = await Promise.all([
      open()
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst(),
      open()
        .select((eb) => eb.fn.countAll().as('n'))
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('drill_attempts as a')
                .select('a.id')
                .whereRef('a.event_id', '=', 'e.id')
                .where('a.person_id', '=', personId)
                .where('a.status', 'in', ['submitted', 'graded']),
            ),
          ),
        )
        .executeTakeFirst(),
    ])
    openEvents = n(all?.n)
    dueEvents = n(due?.n)
  }
  const sum = (test: (r: (typeof attempts)[number]) => boolean) => attempts.filter(test).reduce((s, r) => s + n(r.n), 0)
  return {
    openEvents,
    dueEvents,
    inProgress: sum((r) => r.status === 'in_progress' && !(r.kind === 'drafting' && n(r.returned) === 1)),
    draftsWaiting: sum((r) => r.kind === 'drafting' && r.status === 'submitted'),
    draftsReturned: sum((r) => r.kind === 'drafting' && r.status === 'in_progress' && n(r.returned) === 1),
    graded: sum((r) => r.kind === 'drafting' && r.status === 'graded'),
  }
}

export async function mediatorPanel(db: Executor, personId: string, now: Date, gradeWarnDays: number): Promise<MediatorPanel> {
  const today = todayInChina(now)
  const year = Number(today.slice(0, 4))
  const [training, progress, lastOpen, drills, library, grade] = await Promise.all([
    mediatorTraining(db, personId, year, today),
    db
      .selectFrom('training_progress')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('person_id', '=', personId)
      .where('completed_at', 'is', null)
      .executeTakeFirst(),
    db
      .selectFrom('training_progress')
      .select(['course_slug', 'module_slug'])
      .where('person_id', '=', personId)
      .where('completed_at', 'is', null)
      .orderBy('last_seen_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
    mediatorDrills(db, personId, now),
    db
      .selectFrom('library_submissions')
      .select((eb) => ['status', eb.fn.countAll().as('n')])
      .where('author_person_id', '=', personId)
      .groupBy('status')
      .execute(),
    // The grading module owns mediator_grades; the home only reads the latest current grade.
    db
      .selectFrom('mediator_grades')
      .select(['grade_name', 'valid_until'])
      .where('person_id', '=', personId)
      .where('status', '=', 'current')
      .orderBy('valid_from', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ])
  return {
    year,
    training,
    modulesInProgress: n(progress?.n),
    continueAt: lastOpen ? { courseSlug: lastOpen.course_slug, moduleSlug: lastOpen.module_slug } : null,
    drills,
    library: countsByStatus(LIBRARY_STATUSES, library),
    grade: grade
      ? { name: grade.grade_name, validUntil: grade.valid_until, state: expiryState(grade.valid_until, today, gradeWarnDays) }
      : null,
  }
}

// ---------------------------------------------------------------------------------------------
// Staff (bureau staff, organisation managers)

export interface StaffPanel {
  cases: { open: number; waitingForExperts: number; overdue: number } | null
  staleInvitations: { count: number; days: number } | null
  pool: {
    total: number
    byTier: Record<ExpertTier, number>
    topDomains: { code: string; name: string; nameEn: string; n: number }[]
  } | null
  terms: { expiring: number; expired: number; windowDays: number } | null
  compliance: {
    year: number
    orgs: number
    mediators: number
    behind: number
    preServiceOverdue: number
    withoutPlan: number
    worst: { orgId: string; orgName: string; mediators: number; behind: number }[]
  } | null
}

const TIERS = ['national', 'provincial', 'municipal', 'district'] as const satisfies readonly ExpertTier[]

async function staffCases(db: Executor, user: AuthUser, today: string) {
  const scope = scopeCondition(scopeFor(user, 'case:view'), { region: 'c.region_code', org: 'c.org_id' })
  const openCases = () => db.selectFrom('cases as c').where(scope).where('c.status', 'in', OPEN_STATUSES)
  const cutoff = overdueStartBefore(today, TIME_LIMIT_DAYS)
  const [counts, overdueNoExtension, extended] = await Promise.all([
    openCases()
      .select((eb) => [
        eb.fn.countAll().as('open'),
        sql<number>`coalesce(sum(case when c.experts_assigned < c.experts_needed then 1 else 0 end), 0)`.as('waiting'),
      ])
      .executeTakeFirst(),
    openCases()
      .select((eb) => eb.fn.countAll().as('n'))
      .where(sql<boolean>`coalesce(c.accepted_at, c.registered_at) < ${cutoff}`)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('case_decisions as x').select('x.id').whereRef('x.case_id', '=', 'c.id').where('x.kind', '=', 'time_extension'),
          ),
        ),
      )
      .executeTakeFirst(),
    // Extended time limits are rare (court-entrusted cases, once each): judged row by row with dueDate.
    openCases()
      .innerJoin('case_decisions as x', (j) => j.onRef('x.case_id', '=', 'c.id').on('x.kind', '=', 'time_extension'))
      .select(['c.registered_at', 'c.accepted_at', 'x.days'])
      .where(sql<boolean>`coalesce(c.accepted_at, c.registered_at) < ${cutoff}`)
      .execute(),
  ])
  const overdueExtended = extended.filter((r) => today > dueDate(r.registered_at, r.accepted_at, r.days ?? 0)).length
  return { open: n(counts?.open), waitingForExperts: n(counts?.waiting), overdue: n(overdueNoExtension?.n) + overdueExtended }
}

async function staffStaleInvitations(db: Executor, user: AuthUser, now: Date, days: number) {
  const row = await db
    .selectFrom('case_consultations as x')
    .innerJoin('cases as c', 'c.id', 'x.case_id')
    .select((eb) => eb.fn.countAll().as('n'))
    .where(scopeCondition(scopeFor(user, 'case:view'), { region: 'c.region_code', org: 'c.org_id' }))
    .where('x.status', '=', 'invited')
    .where('x.invited_at', '<', staleBefore(now, days))
    .executeTakeFirst()
  return { count: n(row?.n), days }
}

async function staffPool(db: Executor, user: AuthUser): Promise<StaffPanel['pool']> {
  const visible = await expertScopeCondition(db, expertViewScope(user))
  const [tiers, domains] = await Promise.all([
    db
      .selectFrom('experts as e')
      .select((eb) => ['e.tier', eb.fn.countAll().as('n')])
      .where(visible)
      .where('e.status', '=', 'active')
      .groupBy('e.tier')
      .execute(),
    db
      .selectFrom('experts as e')
      .innerJoin('expert_domains as d', 'd.expert_id', 'e.person_id')
      .innerJoin('dispute_types as t', 't.code', 'd.dispute_type_code')
      .select((eb) => ['d.dispute_type_code as code', 't.name_zh', 't.name_en', eb.fn.countAll().as('n')])
      .where(visible)
      .where('e.status', '=', 'active')
      .where('d.role', '=', 'primary')
      .groupBy(['d.dispute_type_code', 't.name_zh', 't.name_en'])
      .execute(),
  ])
  const byTier = countsByStatus(
    TIERS,
    tiers.map((r) => ({ status: r.tier, n: r.n })),
  )
  const names = new Map(domains.map((d) => [d.code, d]))
  return {
    total: Object.values(byTier).reduce((a, b) => a + b, 0),
    byTier,
    topDomains: topCounts(
      domains.map((d) => ({ key: d.code, n: n(d.n) })),
      6,
    ).map((d) => ({ code: d.key, name: names.get(d.key)!.name_zh, nameEn: names.get(d.key)!.name_en, n: d.n })),
  }
}

async function staffTerms(db: Executor, user: AuthUser, today: string): Promise<StaffPanel['terms']> {
  const body = expertBodyScope(user, 'expert:edit')
  if (isEmptyBodyScope(body)) return null
  const { renewalWindowDays } = await readExpertSettings(db)
  const row = await db
    .selectFrom('experts as e')
    .select([
      sql<number>`coalesce(sum(case when e.term_end < ${today} then 0 else 1 end), 0)`.as('expiring'),
      sql<number>`coalesce(sum(case when e.term_end < ${today} then 1 else 0 end), 0)`.as('expired'),
    ])
    .where('e.status', 'in', ['active', 'suspended'])
    .where('e.term_end', '<=', shiftDate(today, renewalWindowDays))
    .where(bodyScopeCondition(body))
    .executeTakeFirst()
  return { expiring: n(row?.expiring), expired: n(row?.expired), windowDays: renewalWindowDays }
}

/**
 * The compliance summary walks every mediator in scope (about 0.3 s for a whole city of 50,000 on
 * MariaDB on a quiet machine, more than the home's 300 ms budget when other work shares it; see
 * README "Performance" and `npm run bench -- dashboards`). A scope of a city or more reads the
 * figures kept per organisation instead (org-figures.server.ts); either way, hours change a few
 * times a day, so the home keeps a scope's summary for a few minutes per process rather than
 * recount it on every visit.
 * Past those minutes, a summary up to half an hour old is still shown while one recount
 * runs in the background for the next visit, so only a scope's first visit (or the first after a
 * long quiet spell) waits for the count (app/lib/swr-cache.ts).
 */
const complianceCache = new SwrCache<OrgSummary[]>({ freshMs: 5 * 60_000, staleMs: 30 * 60_000, max: 500 })

/** For tests that change training data between two visits. */
export function clearDashboardCache(): void {
  complianceCache.clear()
}

async function staffCompliance(db: Executor, user: AuthUser, today: string, now: Date): Promise<StaffPanel['compliance']> {
  const year = Number(today.slice(0, 4))
  const scope = scopeFor(user, 'training:manage')
  const { value: lines } = await complianceCache.get(
    JSON.stringify([scope, year, today]),
    // A city or larger reads the figures the background job keeps per organisation (ADR 033).
    async () => {
      const stored = await readOrgFigures(db, scope, year, today, { now: now.getTime() })
      return stored ? complianceLines(stored) : complianceSummary(db, scope, year, today)
    },
    now.getTime(),
  )
  const withPlan = lines.filter((l) => l.hasPlan)
  return {
    year,
    orgs: lines.length,
    mediators: lines.reduce((s, l) => s + l.mediators, 0),
    behind: withPlan.reduce((s, l) => s + l.behind, 0),
    preServiceOverdue: withPlan.reduce((s, l) => s + l.preServiceOverdue, 0),
    withoutPlan: lines.length - withPlan.length,
    worst: withPlan
      .filter((l) => l.behind > 0)
      .sort((a, b) => b.behind - a.behind || (a.orgName < b.orgName ? -1 : 1))
      .slice(0, 5)
      .map((l) => ({ orgId: l.orgId, orgName: l.orgName, mediators: l.mediators, behind: l.behind })),
  }
}

export async function staffPanel(db: Executor, user: AuthUser, now: Date, staleDays: number): Promise<StaffPanel> {
  const today = todayInChina(now)
  const [cases, staleInvitations, pool, terms, compliance] = await Promise.all([
    hasPermission(user, 'case:view') ? staffCases(db, user, today) : null,
    hasPermission(user, 'case:view') ? staffStaleInvitations(db, user, now, staleDays) : null,
    hasPermission(user, 'expert:view') ? staffPool(db, user) : null,
    staffTerms(db, user, today),
    hasPermission(user, 'training:manage') ? staffCompliance(db, user, today, now) : null,
  ])
  return { cases, staleInvitations, pool, terms, compliance }
}

// ---------------------------------------------------------------------------------------------
// Association administrators (grade evaluation)

const OPEN_ROUND_STATUSES = [
  'draft',
  'open',
  'eligibility',
  'scoring',
  'notice',
  'resolved',
] as const satisfies readonly GradingRoundStatus[]
const ROUND_STATUSES = [...OPEN_ROUND_STATUSES, 'finalised', 'cancelled'] as const satisfies readonly GradingRoundStatus[]
const APPLICATION_STATUSES = [
  'submitted',
  'eligible',
  'ineligible',
  'scored',
  'proposed',
  'awarded',
  'recommended',
  'not_awarded',
  'withdrawn',
] as const satisfies readonly GradingApplicationStatus[]

export interface RoundLine {
  id: string
  title: string
  status: GradingRoundStatus
  applicationsCloseOn: string
  applications: number
  byStatus: Record<GradingApplicationStatus, number>
  reviews: { assigned: number; submitted: number; percent: number | null }
  openObjections: number
}

export interface AssociationPanel {
  roundsByStatus: Record<GradingRoundStatus, number>
  rounds: RoundLine[]
  openObjections: number
  gradesExpiring: { count: number; days: number }
}

export async function associationPanel(db: Executor, user: AuthUser, now: Date, expiryDays: number): Promise<AssociationPanel> {
  const today = todayInChina(now)
  const scope = scopeFor(user, 'grading:manage')
  const mine = scopeCondition(scope, { org: 'gr.association_org_id' })
  const [byStatus, rounds, objections, expiring] = await Promise.all([
    db
      .selectFrom('grading_rounds as gr')
      .select((eb) => ['gr.status', eb.fn.countAll().as('n')])
      .where(mine)
      .groupBy('gr.status')
      .execute(),
    db
      .selectFrom('grading_rounds as gr')
      .select(['gr.id', 'gr.title', 'gr.status', 'gr.applications_close_on'])
      .where(mine)
      .where('gr.status', 'in', OPEN_ROUND_STATUSES)
      .orderBy('gr.created_at', 'desc')
      .orderBy('gr.id', 'desc')
      .limit(10)
      .execute(),
    db
      .selectFrom('grading_objections as go')
      .innerJoin('grading_rounds as gr', 'gr.id', 'go.round_id')
      .select((eb) => eb.fn.countAll().as('n'))
      .where(mine)
      .where('go.status', '=', 'open')
      .executeTakeFirst(),
    db
      .selectFrom('mediator_grades as mg')
      .select((eb) => eb.fn.countAll().as('n'))
      .where(scopeCondition(scope, { org: 'mg.association_org_id' }))
      .where('mg.status', '=', 'current')
      .where('mg.valid_until', '>=', today)
      .where('mg.valid_until', '<=', shiftDate(today, expiryDays))
      .executeTakeFirst(),
  ])
  const ids = rounds.map((r) => r.id)
  const [applications, assignments, roundObjections] = ids.length
    ? await Promise.all([
        db
          .selectFrom('grading_applications')
          .select((eb) => ['round_id', 'status', eb.fn.countAll().as('n')])
          .where('round_id', 'in', ids)
          .groupBy(['round_id', 'status'])
          .execute(),
        db
          .selectFrom('grading_assignments')
          .select((eb) => ['round_id', 'status', eb.fn.countAll().as('n')])
          .where('round_id', 'in', ids)
          .where('status', '!=', 'removed')
          .groupBy(['round_id', 'status'])
          .execute(),
        db
          .selectFrom('grading_objections')
          .select((eb) => ['round_id', eb.fn.countAll().as('n')])
          .where('round_id', 'in', ids)
          .where('status', '=', 'open')
          .groupBy('round_id')
          .execute(),
      ])
    : [[], [], []]
  return {
    roundsByStatus: countsByStatus(ROUND_STATUSES, byStatus),
    rounds: rounds.map((r) => {
      const apps = countsByStatus(
        APPLICATION_STATUSES,
        applications.filter((a) => a.round_id === r.id),
      )
      const reviews = assignments.filter((a) => a.round_id === r.id)
      const assigned = reviews.reduce((s, a) => s + n(a.n), 0)
      const submitted = reviews.filter((a) => a.status === 'submitted').reduce((s, a) => s + n(a.n), 0)
      return {
        id: r.id,
        title: r.title,
        status: r.status,
        applicationsCloseOn: r.applications_close_on,
        applications: Object.values(apps).reduce((a, b) => a + b, 0),
        byStatus: apps,
        reviews: { assigned, submitted, percent: percent(submitted, assigned) },
        openObjections: n(roundObjections.find((o) => o.round_id === r.id)?.n),
      }
    }),
    openObjections: n(objections?.n),
    gradesExpiring: { count: n(expiring?.n), days: expiryDays },
  }
}

// ---------------------------------------------------------------------------------------------
// Experts

const CONSULTATION_STATUSES = [
  'invited',
  'accepted',
  'declined',
  'submitted',
  'rated',
  'withdrawn',
] as const satisfies readonly ConsultationStatus[]

export interface ExpertPanel {
  registered: boolean
  byStatus: Record<ConsultationStatus, number>
  opinionsOverdue: number
  nextDeadline: string | null
  history: { completed: number; ratingAverage: number | null; hoursTenths: number }
}

export async function expertPanel(db: Executor, personId: string | null, now: Date): Promise<ExpertPanel> {
  const today = todayInChina(now)
  const expert = personId ? await db.selectFrom('experts').select('person_id').where('person_id', '=', personId).executeTakeFirst() : null
  if (!expert) {
    return {
      registered: false,
      byStatus: countsByStatus(CONSULTATION_STATUSES, []),
      opinionsOverdue: 0,
      nextDeadline: null,
      history: { completed: 0, ratingAverage: null, hoursTenths: 0 },
    }
  }
  const id = expert.person_id
  const [statuses, due, load] = await Promise.all([
    db
      .selectFrom('case_consultations')
      .select((eb) => ['status', eb.fn.countAll().as('n')])
      .where('expert_id', '=', id)
      .groupBy('status')
      .execute(),
    db
      .selectFrom('case_consultations')
      .select([
        sql<number>`coalesce(sum(case when deadline < ${today} then 1 else 0 end), 0)`.as('overdue'),
        sql<string | null>`min(deadline)`.as('next'),
      ])
      .where('expert_id', '=', id)
      .where('status', '=', 'accepted')
      .executeTakeFirst(),
    db
      .selectFrom('expert_loads')
      .select(['completed_count', 'rating_count', 'rating_sum', 'hours_tenths'])
      .where('expert_id', '=', id)
      .executeTakeFirst(),
  ])
  return {
    registered: true,
    byStatus: countsByStatus(CONSULTATION_STATUSES, statuses),
    opinionsOverdue: n(due?.overdue),
    nextDeadline: due?.next ?? null,
    history: {
      completed: load?.completed_count ?? 0,
      ratingAverage: load?.rating_count ? Math.round((load.rating_sum / load.rating_count) * 10) / 10 : null,
      hoursTenths: load?.hours_tenths ?? 0,
    },
  }
}

// ---------------------------------------------------------------------------------------------

export interface HomeDashboard {
  panels: PanelKind[]
  mediator: MediatorPanel | null
  staff: StaffPanel | null
  association: AssociationPanel | null
  expert: ExpertPanel | null
}

export async function homeDashboard(db: Executor, user: AuthUser, now = new Date()): Promise<HomeDashboard> {
  const panels = panelsFor(user.grants.map((g) => g.role as Role))
  const settings = await readDashboardSettings(db)
  const [mediator, staff, association, expert] = await Promise.all([
    panels.includes('mediator') && user.personId ? mediatorPanel(db, user.personId, now, settings.gradeExpiryDays) : null,
    panels.includes('staff') ? staffPanel(db, user, now, settings.staleInvitationDays) : null,
    panels.includes('association') ? associationPanel(db, user, now, settings.gradeExpiryDays) : null,
    panels.includes('expert') ? expertPanel(db, user.personId, now) : null,
  ])
  return { panels, mediator, staff, association, expert }
}
