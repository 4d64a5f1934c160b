/**
 * Training figures per organisation and year, kept by a background job for large scopes
 * (docs/decisions/033-training-figures.md).
 *
 * A whole city's compliance summary and hours walk every mediator (about 0.3 s each for 50,000 on
 * MariaDB, over 20 s for a province's 3 million records). Those numbers are the sum of the same
 * numbers per organisation, so a run computes each organisation's figures once (in chunks of
 * organisations, each chunk one bounded query per kind) and stores them; a statistics page or a
 * staff home over a large scope then reads one row per organisation. Small scopes, and any period
 * other than "1 January to the run's day", are still counted live: they are fast, and exact.
 *
 * The figures of an organisation are computed by the same functions the live pages use
 * (complianceSummary; hours as the statistics page sums them), so the two agree by construction;
 * org-figures.db.test.ts checks that on both databases.
 */
import { sql } from 'kysely'
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import type { Executor } from '#app/lib/db.server.ts'
import { scopeCondition } from '#app/lib/list-scope.server.ts'
import type { ListScope } from '#app/modules/auth/policy.ts'
import { FIGURES_INTERVAL_MS, figuresAsOf, figuresMinMediators, runAnswers } from '#app/modules/stats/figures-policy.ts'
import { liveGradeCounts, writeGradeFigures } from '#app/modules/stats/grade-figures.server.ts'
import { dayAfter } from '#app/modules/stats/model.ts'
import { type OrgSummary, complianceSummary } from './compliance.server.ts'

const EVERYTHING: ListScope = { everything: true, regionPaths: [], orgIds: [], personIds: [] }
/** A run that has not finished by then is taken to have died, and another server may start one. */
const CLAIM_MS = 20 * 60_000
/** Organisations per chunk: a few thousand mediators per query, whatever the size of the database. */
const CHUNK_ORGS = 2_000

/** One organisation's figures for a year: the compliance line plus the hours of its mediators. */
export interface OrgFigures extends OrgSummary {
  regionPath: string
  hoursTenths: number
  /** Mediators (any status) with at least one approved record from 1 January to the run's day. */
  peopleTrained: number
  /** The online course funnel by the run's day: mediators who started a course, finished a module, finished a course. */
  courseStarted: number
  moduleDone: number
  courseDone: number
}

export interface HoursLine {
  orgId: string
  orgName: string
  regionPath: string
  tenths: number
  people: number
}

/**
 * Approved hours from `from` to `to` (inclusive) of the mediators (any status) of the
 * organisations in scope, per organisation, with how many of them have any such record. One sum
 * per mediator from the (person_id, status, completed_on, hours_tenths) index, so the cost follows
 * the scope: a district of a province reads its own mediators' records, not the province's
 * (summing the period's records first and joining them to the scope read 1.5 million records
 * for any district of a province).
 */
export async function hoursByOrg(db: Executor, scope: ListScope, from: string, to: string): Promise<HoursLine[]> {
  const within = scopeCondition(scope, { region: 'o.region_code', org: 'm.org_id' })
  const rows = await sql<{ org_id: string; org_name: string; path: string; tenths: number | string; people: number | string }>`
    select t.org_id, org.name as org_name, reg.path, sum(t.tenths) as tenths, count(*) as people
    from (
      select m.org_id,
        (select sum(r.hours_tenths) from training_records r
          where r.person_id = m.person_id and r.status = 'approved' and r.completed_on >= ${from} and r.completed_on <= ${to}) as tenths
      from mediators m
      inner join organisations o on o.id = m.org_id
      where ${within}
    ) t
    inner join organisations org on org.id = t.org_id
    inner join regions reg on reg.code = org.region_code
    where t.tenths is not null
    group by t.org_id, org.name, reg.path
  `.execute(db)
  return rows.rows.map((r) => ({
    orgId: r.org_id,
    orgName: r.org_name,
    regionPath: r.path,
    tenths: Number(r.tenths),
    people: Number(r.people),
  }))
}

type ComputedFigures = Omit<OrgFigures, 'orgName' | 'regionPath'>

const emptyFigures = (orgId: string): ComputedFigures => ({
  orgId,
  mediators: 0,
  behind: 0,
  preServiceOverdue: 0,
  hasPlan: false,
  hoursTenths: 0,
  peopleTrained: 0,
  courseStarted: 0,
  moduleDone: 0,
  courseDone: 0,
})

/**
 * The online course funnel per organisation by the end of `asOf`: mediators who started a course,
 * finished a module, finished a course (as the statistics page counts them, from the beginning).
 * Whole-database grouped reads over the few online records and the progress rows: cheap enough
 * not to chunk.
 */
async function funnelByOrg(db: Executor, asOf: string): Promise<Map<string, { started: number; module: number; course: number }>> {
  const end = dayAfter(asOf)
  const [progress, courses] = await Promise.all([
    db
      .selectFrom('training_progress as tp')
      .innerJoin('mediators as m', 'm.person_id', 'tp.person_id')
      .select([
        'm.org_id',
        sql<number>`count(distinct tp.person_id)`.as('started'),
        sql<number>`count(distinct case when tp.completed_at is not null and tp.completed_at < ${end} then tp.person_id end)`.as('module'),
      ])
      .where('tp.started_at', '<', end)
      .groupBy('m.org_id')
      .execute(),
    db
      .selectFrom('training_records as tr')
      .innerJoin('mediators as m', 'm.person_id', 'tr.person_id')
      .select(['m.org_id', sql<number>`count(distinct tr.person_id)`.as('course')])
      .where('tr.source', '=', 'online')
      .where('tr.status', '=', 'approved')
      .where('tr.course_slug', 'is not', null)
      .where('tr.completed_on', '<', end)
      .groupBy('m.org_id')
      .execute(),
  ])
  const out = new Map<string, { started: number; module: number; course: number }>()
  for (const p of progress) out.set(p.org_id, { started: Number(p.started), module: Number(p.module), course: 0 })
  for (const c of courses) {
    const line = out.get(c.org_id) ?? { started: 0, module: 0, course: 0 }
    line.course = Number(c.course)
    out.set(c.org_id, line)
  }
  return out
}

/** One course's funnel: mediators who started it, finished a module, finished it; its title if anybody finished. */
export interface CourseLine {
  slug: string
  title: string | null
  started: number
  moduleDone: number
  done: number
}

type CourseFigures = CourseLine & { orgId: string }

/** The course funnel per organisation and course by the end of `asOf`, as the statistics page counts it per course. */
async function courseFiguresByOrg(db: Executor, asOf: string): Promise<CourseFigures[]> {
  const end = dayAfter(asOf)
  const [progress, completions] = await Promise.all([
    db
      .selectFrom('training_progress as tp')
      .innerJoin('mediators as m', 'm.person_id', 'tp.person_id')
      .select([
        'm.org_id',
        'tp.course_slug',
        sql<number>`count(distinct tp.person_id)`.as('started'),
        sql<number>`count(distinct case when tp.completed_at is not null and tp.completed_at < ${end} then tp.person_id end)`.as('module'),
      ])
      .where('tp.started_at', '<', end)
      .groupBy(['m.org_id', 'tp.course_slug'])
      .execute(),
    db
      .selectFrom(
        db
          .selectFrom('training_records as tr')
          .select(['tr.course_slug', 'tr.person_id', sql<string>`min(tr.title)`.as('title')])
          .where('tr.source', '=', 'online')
          .where('tr.status', '=', 'approved')
          .where('tr.course_slug', 'is not', null)
          .where('tr.completed_on', '<', end)
          .groupBy(['tr.course_slug', 'tr.person_id'])
          .as('c'),
      )
      .innerJoin('mediators as m', 'm.person_id', 'c.person_id')
      .select(['m.org_id', 'c.course_slug', sql<string>`min(c.title)`.as('title'), sql<number>`count(*)`.as('done')])
      .groupBy(['m.org_id', 'c.course_slug'])
      .execute(),
  ])
  const key = (orgId: string, slug: string) => `${orgId} ${slug}`
  const lines = new Map<string, CourseFigures>()
  for (const p of progress)
    lines.set(key(p.org_id, p.course_slug), {
      orgId: p.org_id,
      slug: p.course_slug,
      title: null,
      started: Number(p.started),
      moduleDone: Number(p.module),
      done: 0,
    })
  for (const c of completions) {
    if (!c.course_slug) continue
    const k = key(c.org_id, c.course_slug)
    const line = lines.get(k) ?? { orgId: c.org_id, slug: c.course_slug, title: null, started: 0, moduleDone: 0, done: 0 }
    line.title = c.title
    line.done = Number(c.done)
    lines.set(k, line)
  }
  return [...lines.values()]
}

/** Every organisation's figures for a year as of `asOf`, computed chunk by chunk; null if stopped. */
export async function computeOrgFigures(
  db: Executor,
  year: number,
  asOf: string,
  options: { stopped?: () => boolean } = {},
): Promise<{ orgs: ComputedFigures[]; courses: CourseFigures[] } | null> {
  const orgs = await db.selectFrom('organisations').select('id').orderBy('id').execute()
  const figures = new Map<string, ComputedFigures>()
  const line = (orgId: string) => {
    const found = figures.get(orgId) ?? emptyFigures(orgId)
    figures.set(orgId, found)
    return found
  }
  for (let i = 0; i < orgs.length; i += CHUNK_ORGS) {
    if (options.stopped?.()) return null
    const scope: ListScope = { everything: false, regionPaths: [], orgIds: orgs.slice(i, i + CHUNK_ORGS).map((o) => o.id), personIds: [] }
    const [summary, hours] = await Promise.all([complianceSummary(db, scope, year, asOf), hoursByOrg(db, scope, `${year}-01-01`, asOf)])
    for (const s of summary) Object.assign(line(s.orgId), s)
    for (const h of hours) Object.assign(line(h.orgId), { hoursTenths: h.tenths, peopleTrained: h.people })
  }
  if (options.stopped?.()) return null
  const [funnel, courses] = await Promise.all([funnelByOrg(db, asOf), courseFiguresByOrg(db, asOf)])
  for (const [orgId, f] of funnel) Object.assign(line(orgId), { courseStarted: f.started, moduleDone: f.module, courseDone: f.course })
  return { orgs: [...figures.values()], courses }
}

export type RefreshOutcome = 'refreshed' | 'fresh' | 'busy' | 'stopped'

/**
 * Recomputes a year's figures unless another process is at it or they were computed less than
 * `minIntervalMs` ago for the same day. The claim is one conditional UPDATE of the year's run
 * row, so of two servers looking at once one computes; the new figures replace the old in one
 * transaction.
 */
export async function refreshOrgFigures(
  db: Executor,
  year: number,
  today: string,
  worker: string,
  /** `now` is injected by tests; the run is then stamped with it rather than with its end. */
  options: { now?: Date; minIntervalMs?: number; stopped?: () => boolean } = {},
): Promise<RefreshOutcome> {
  const now = options.now ?? new Date()
  const asOf = figuresAsOf(year, today)
  try {
    await db.insertInto('training_figure_runs').values({ year }).execute()
  } catch (error) {
    if (!isUniqueViolation(error, ['training_figure_runs.year', 'PRIMARY'])) throw error
  }
  const due = new Date(now.getTime() - (options.minIntervalMs ?? FIGURES_INTERVAL_MS)).toISOString()
  const claimed = await db
    .updateTable('training_figure_runs')
    .set({ claimed_by: worker, claim_expires_at: new Date(now.getTime() + CLAIM_MS).toISOString() })
    .where('year', '=', year)
    .where((eb) => eb.or([eb('claim_expires_at', 'is', null), eb('claim_expires_at', '<', now.toISOString())]))
    .where((eb) => eb.or([eb('computed_at', 'is', null), eb('computed_at', '<=', due), eb('as_of', 'is', null), eb('as_of', '<>', asOf)]))
    .executeTakeFirst()
  if (Number(claimed.numUpdatedRows) !== 1) {
    const run = await db
      .selectFrom('training_figure_runs')
      .select(['claimed_by', 'claim_expires_at'])
      .where('year', '=', year)
      .executeTakeFirst()
    return run?.claim_expires_at && run.claim_expires_at >= now.toISOString() ? 'busy' : 'fresh'
  }
  const release = () =>
    db
      .updateTable('training_figure_runs')
      .set({ claimed_by: null, claim_expires_at: null })
      .where('year', '=', year)
      .where('claimed_by', '=', worker)
      .execute()
  try {
    const started = performance.now()
    const figures = await computeOrgFigures(db, year, asOf, { stopped: options.stopped })
    // The grade pyramid is a snapshot of today, kept with the current year's run.
    const currentYear = year === Number(today.slice(0, 4))
    const pyramid = figures && currentYear && !options.stopped?.() ? await liveGradeCounts(db, EVERYTHING) : null
    if (!figures || (currentYear && !pyramid)) {
      await release()
      return 'stopped'
    }
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('training_org_figures').where('year', '=', year).execute()
      await trx.deleteFrom('training_org_course_figures').where('year', '=', year).execute()
      for (let i = 0; i < figures.orgs.length; i += 500)
        await trx
          .insertInto('training_org_figures')
          .values(
            figures.orgs.slice(i, i + 500).map((f) => ({
              year,
              org_id: f.orgId,
              mediators: f.mediators,
              has_plan: f.hasPlan ? 1 : 0,
              behind: f.behind,
              pre_service_overdue: f.preServiceOverdue,
              hours_tenths: f.hoursTenths,
              people_trained: f.peopleTrained,
              course_started: f.courseStarted,
              module_done: f.moduleDone,
              course_done: f.courseDone,
            })),
          )
          .execute()
      for (let i = 0; i < figures.courses.length; i += 500)
        await trx
          .insertInto('training_org_course_figures')
          .values(
            figures.courses.slice(i, i + 500).map((c) => ({
              year,
              org_id: c.orgId,
              course_slug: c.slug,
              title: c.title,
              started: c.started,
              module_done: c.moduleDone,
              course_done: c.done,
            })),
          )
          .execute()
      if (pyramid) await writeGradeFigures(trx, pyramid)
      await trx
        .updateTable('training_figure_runs')
        .set({
          as_of: asOf,
          computed_at: (options.now ?? new Date()).toISOString(),
          duration_ms: Math.round(performance.now() - started),
          claimed_by: null,
          claim_expires_at: null,
        })
        .where('year', '=', year)
        .execute()
    })
    return 'refreshed'
  } catch (error) {
    await release().catch(() => undefined)
    throw error
  }
}

export interface StoredFigures {
  lines: OrgFigures[]
  /** When the run that wrote them finished (ISO instant). */
  computedAt: string
}

/**
 * The stored figures of the organisations in scope for a year as of `asOf`, or null when they
 * should be counted live instead: no recent run judged on that day, or a scope smaller than
 * `minMediators` active mediators.
 */
export async function readOrgFigures(
  db: Executor,
  scope: ListScope,
  year: number,
  asOf: string,
  options: { now?: number; maxAgeMs?: number; minMediators?: number } = {},
): Promise<StoredFigures | null> {
  const run = await db.selectFrom('training_figure_runs').select(['as_of', 'computed_at']).where('year', '=', year).executeTakeFirst()
  if (!runAnswers(run, asOf, options.now ?? Date.now(), options.maxAgeMs)) return null
  const rows = await db
    .selectFrom('training_org_figures as f')
    .innerJoin('organisations as o', 'o.id', 'f.org_id')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .select([
      'f.org_id',
      'o.name',
      'r.path',
      'f.mediators',
      'f.has_plan',
      'f.behind',
      'f.pre_service_overdue',
      'f.hours_tenths',
      'f.people_trained',
      'f.course_started',
      'f.module_done',
      'f.course_done',
    ])
    .where('f.year', '=', year)
    .where(scopeCondition(scope, { region: 'o.region_code', org: 'f.org_id' }))
    .execute()
  const lines = rows.map((r) => ({
    orgId: r.org_id,
    orgName: r.name,
    regionPath: r.path,
    mediators: Number(r.mediators),
    hasPlan: Number(r.has_plan) === 1,
    behind: Number(r.behind),
    preServiceOverdue: Number(r.pre_service_overdue),
    hoursTenths: Number(r.hours_tenths),
    peopleTrained: Number(r.people_trained),
    courseStarted: Number(r.course_started),
    moduleDone: Number(r.module_done),
    courseDone: Number(r.course_done),
  }))
  const mediators = lines.reduce((s, l) => s + l.mediators, 0)
  if (mediators < (options.minMediators ?? figuresMinMediators())) return null
  // complianceSummary's order (binary, by name then id), so both sources read the same.
  lines.sort((a, b) => (a.orgName < b.orgName ? -1 : a.orgName > b.orgName ? 1 : a.orgId < b.orgId ? -1 : 1))
  return { lines, computedAt: run.computed_at }
}

/** The compliance lines of stored figures: organisations with active mediators, as complianceSummary returns them. */
export function complianceLines(figures: StoredFigures): OrgSummary[] {
  return figures.lines
    .filter((l) => l.mediators > 0)
    .map(({ orgId, orgName, mediators, behind, preServiceOverdue, hasPlan }) => ({
      orgId,
      orgName,
      mediators,
      behind,
      preServiceOverdue,
      hasPlan,
    }))
}

/**
 * The per-course funnel of the organisations in scope from the stored figures (call after
 * readOrgFigures said they answer): courses somebody in scope started, as the live count lists them.
 */
export async function readCourseFigures(db: Executor, scope: ListScope, year: number): Promise<CourseLine[]> {
  const rows = await db
    .selectFrom('training_org_course_figures as f')
    .innerJoin('organisations as o', 'o.id', 'f.org_id')
    .select([
      'f.course_slug',
      sql<string | null>`min(f.title)`.as('title'),
      sql<number>`sum(f.started)`.as('started'),
      sql<number>`sum(f.module_done)`.as('module_done'),
      sql<number>`sum(f.course_done)`.as('done'),
    ])
    .where('f.year', '=', year)
    .where(scopeCondition(scope, { region: 'o.region_code', org: 'f.org_id' }))
    .groupBy('f.course_slug')
    .having(sql`sum(f.started)`, '>', 0)
    .execute()
  return rows.map((r) => ({
    slug: r.course_slug,
    title: r.title,
    started: Number(r.started),
    moduleDone: Number(r.module_done),
    done: Number(r.done),
  }))
}
