/**
 * Training statistics: approved hours in the period by organisation and region (by the
 * mediator's organisation), plan compliance for the period's year (the training module's own
 * compliance summary, so the figures match /training/compliance), and the online course
 * completion funnel (started a course → finished a module → finished the course).
 */
import { sql } from 'kysely'
import { formatDateTime } from '#app/lib/i18n.ts'
import { scopeCondition } from '#app/lib/list-scope.server.ts'
import { complianceSummary } from '#app/modules/training/compliance.server.ts'
import {
  type CourseLine,
  type StoredFigures,
  complianceLines,
  hoursByOrg,
  readCourseFigures,
  readOrgFigures,
} from '#app/modules/training/org-figures.server.ts'
import { figuresAsOf, figuresMaxAge } from './figures-policy.ts'
import { type StatsContext, num, periodBounds, regionRows } from './context.server.ts'
import { percent } from './math.ts'
import type { StatsReport } from './model.ts'

export async function trainingStats(ctx: StatsContext): Promise<StatsReport> {
  const { db, t } = ctx
  const { start, end } = periodBounds(ctx.filters)
  const year = Number(ctx.filters.to.slice(0, 4))
  // A past year is judged as it stood at its end; the current year as of today.
  const asOf = figuresAsOf(year, ctx.today)
  const mediatorScope = scopeCondition(ctx.scope, { region: 'o.region_code', org: 'm.org_id' })
  // A large scope over the year so far (the default period) reads the figures the background job
  // keeps per organisation (ADR 033); anything else is counted live.
  const stored =
    ctx.filters.from === `${year}-01-01` && ctx.filters.to === asOf
      ? await readOrgFigures(db, ctx.scope, year, asOf, { maxAgeMs: figuresMaxAge(year, ctx.today) })
      : null

  const [hours, summary, courses, started, moduleDone, courseDone] = await Promise.all([
    stored ? storedHours(stored) : liveHours(ctx),
    stored ? complianceLines(stored) : complianceSummary(db, ctx.scope, year, asOf),
    stored ? readCourseFigures(db, ctx.scope, year) : liveCourses(ctx, end),
    stored ? sumOf(stored, 'courseStarted') : distinctPeople(ctx, end, 'started'),
    stored ? sumOf(stored, 'moduleDone') : distinctPeople(ctx, end, 'module'),
    stored ? sumOf(stored, 'courseDone') : distinctPeople(ctx, end, 'course'),
  ])

  // Organisations' region paths (for the compliance roll-up by region).
  const orgPaths = new Map(stored ? stored.lines.map((l) => [l.orgId, l.regionPath]) : hours.map((h) => [h.id, h.path]))
  const missing = summary.map((s) => s.orgId).filter((id) => !orgPaths.has(id))
  for (let i = 0; i < missing.length; i += 500) {
    const rows = await db
      .selectFrom('organisations as o')
      .innerJoin('regions as r', 'r.code', 'o.region_code')
      .select(['o.id', 'r.path'])
      .where('o.id', 'in', missing.slice(i, i + 500))
      .execute()
    for (const r of rows) orgPaths.set(r.id, r.path)
  }
  const hoursByOrg = new Map(hours.map((h) => [h.id, num(h.tenths) / 10]))
  const totalHours = hours.reduce((s, h) => s + num(h.tenths), 0) / 10
  const mediators = summary.reduce((s, o) => s + o.mediators, 0)
  const planned = summary.filter((o) => o.hasPlan)
  const withPlan = planned.reduce((s, o) => s + o.mediators, 0)
  const behind = planned.reduce((s, o) => s + o.behind, 0)

  const hoursRegions = await regionRows(
    ctx,
    hours.map((h) => ({ path: h.path, values: [num(h.tenths) / 10, num(h.people)] })),
    2,
  )
  const complianceRegions = await regionRows(
    ctx,
    planned.map((o) => ({ path: orgPaths.get(o.orgId) ?? '/', values: [o.mediators, o.mediators - o.behind] })),
    2,
  )
  const orgRows = [...summary]
    .sort((a, b) => b.behind - a.behind || b.mediators - a.mediators || (a.orgName < b.orgName ? -1 : 1))
    .map((o) => ({
      label: o.orgName,
      values: [
        o.mediators,
        hoursByOrg.get(o.orgId) ?? 0,
        o.hasPlan ? o.behind : null,
        o.hasPlan ? percent(o.mediators - o.behind, o.mediators) : null,
        o.hasPlan ? o.preServiceOverdue : null,
      ],
    }))

  return {
    area: 'training',
    figures: [
      { label: t('stats.training.hours'), value: Math.round(totalHours * 10) / 10, format: 'dec1' },
      { label: t('stats.training.mediators'), value: mediators, format: 'int' },
      { label: t('stats.training.complianceRate', { year }), value: percent(withPlan - behind, withPlan), format: 'pct' },
      { label: t('stats.training.behind', { year }), value: behind, format: 'int' },
    ],
    tables: [
      {
        id: 'hours-region',
        title: t('stats.training.hoursByRegion'),
        note: t('stats.training.hours.note'),
        categoryHeader: t('stats.region'),
        series: [
          { header: t('stats.training.hoursHeader'), format: 'dec1' },
          { header: t('stats.training.trained'), format: 'int' },
        ],
        rows: hoursRegions,
        chart: 'hbar',
        plot: [0],
      },
      {
        id: 'compliance-region',
        title: t('stats.training.complianceByRegion', { year }),
        note: t('stats.training.compliance.note'),
        categoryHeader: t('stats.region'),
        series: [
          { header: t('stats.training.mediatorsWithPlan'), format: 'int' },
          { header: t('stats.training.onTrack'), format: 'int' },
          { header: t('stats.training.complianceRateHeader'), format: 'pct' },
        ],
        rows: complianceRegions.map((r) => ({ label: r.label, values: [r.values[0]!, r.values[1]!, percent(r.values[1]!, r.values[0]!)] })),
        chart: 'hbar',
        plot: [2],
      },
      {
        id: 'compliance-org',
        title: t('stats.training.byOrg', { year }),
        categoryHeader: t('stats.org'),
        series: [
          { header: t('stats.training.mediators'), format: 'int' },
          { header: t('stats.training.hoursHeader'), format: 'dec1' },
          { header: t('stats.training.behindHeader'), format: 'int' },
          { header: t('stats.training.complianceRateHeader'), format: 'pct' },
          { header: t('stats.training.preServiceOverdue'), format: 'int' },
        ],
        rows: orgRows,
        chart: null,
      },
      {
        id: 'funnel',
        title: t('stats.training.funnel'),
        note: t('stats.training.funnel.note'),
        categoryHeader: t('stats.training.stage'),
        series: [{ header: t('stats.people'), format: 'int' }],
        rows: [
          { label: t('stats.training.stage.started'), values: [started] },
          { label: t('stats.training.stage.module'), values: [moduleDone] },
          { label: t('stats.training.stage.course'), values: [courseDone] },
        ],
        chart: 'funnel',
      },
      {
        id: 'courses',
        title: t('stats.training.byCourse'),
        categoryHeader: t('stats.training.course'),
        series: [
          { header: t('stats.training.stage.started'), format: 'int' },
          { header: t('stats.training.stage.module'), format: 'int' },
          { header: t('stats.training.stage.course'), format: 'int' },
          { header: t('stats.training.completionRate'), format: 'pct' },
        ],
        rows: courses
          .map((c) => ({
            label: c.title ?? c.slug,
            values: [c.started, c.moduleDone, c.done, percent(c.done, c.started)],
          }))
          .sort((a, b) => b.values[0]! - a.values[0]! || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0)),
        chart: 'bar',
        plot: [0, 1, 2],
      },
    ],
    notes: stored ? [t('stats.training.storedFigures', { at: formatDateTime(ctx.locale, stored.computedAt) })] : [],
    ...(stored ? { figuresAt: stored.computedAt } : {}),
  }
}

/**
 * Per course, mediators in scope who started it, finished a module and finished it by the period's
 * end; courses somebody started only. Progress rows first; then one row per course and person of
 * the online records (their index), joined and counted.
 */
async function liveCourses(ctx: StatsContext, end: string): Promise<CourseLine[]> {
  const { db } = ctx
  const mediatorScope = scopeCondition(ctx.scope, { region: 'o.region_code', org: 'm.org_id' })
  const funnel = await db
    .selectFrom('training_progress as tp')
    .innerJoin('mediators as m', 'm.person_id', 'tp.person_id')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select([
      'tp.course_slug',
      sql<number>`count(distinct tp.person_id)`.as('started'),
      sql<number>`count(distinct case when tp.completed_at is not null and tp.completed_at < ${end} then tp.person_id end)`.as(
        'module_done',
      ),
    ])
    .where(mediatorScope)
    .where('tp.started_at', '<', end)
    .groupBy('tp.course_slug')
    .execute()
  if (!funnel.length) return []
  // Mediator first, as above; one row per course with the people who finished it.
  const completions = await db
    .selectFrom('mediators as m')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .innerJoin('training_records as tr', 'tr.person_id', 'm.person_id')
    .select(['tr.course_slug', sql<string>`min(tr.title)`.as('title'), sql<number>`count(distinct tr.person_id)`.as('done')])
    .where(mediatorScope)
    .where('tr.status', '=', 'approved')
    .where('tr.completed_on', '<', end)
    .where('tr.source', '=', 'online')
    .where(
      'tr.course_slug',
      'in',
      funnel.map((f) => f.course_slug),
    )
    .groupBy('tr.course_slug')
    .execute()
  const bySlug = new Map(completions.map((c) => [c.course_slug, c]))
  return funnel.map((f) => ({
    slug: f.course_slug,
    title: bySlug.get(f.course_slug)?.title ?? null,
    started: num(f.started),
    moduleDone: num(f.module_done),
    done: num(bySlug.get(f.course_slug)?.done),
  }))
}

interface OrgHours {
  id: string
  name: string
  path: string
  tenths: number | string
  people: number | string
}

/** Approved hours in the period per organisation in scope, and how many of its mediators trained. */
async function liveHours(ctx: StatsContext): Promise<OrgHours[]> {
  const lines = await hoursByOrg(ctx.db, ctx.scope, ctx.filters.from, ctx.filters.to)
  return lines.map((l) => ({ id: l.orgId, name: l.orgName, path: l.regionPath, tenths: l.tenths, people: l.people }))
}

/** A funnel stage over the organisations in scope (each mediator belongs to one, so the sum counts people once). */
async function sumOf(stored: StoredFigures, stage: 'courseStarted' | 'moduleDone' | 'courseDone'): Promise<number> {
  return stored.lines.reduce((s, l) => s + l[stage], 0)
}

/** The same lines from the stored figures (organisations where somebody trained). */
async function storedHours(stored: StoredFigures): Promise<OrgHours[]> {
  return stored.lines
    .filter((l) => l.peopleTrained > 0)
    .map((l) => ({ id: l.orgId, name: l.orgName, path: l.regionPath, tenths: l.hoursTenths, people: l.peopleTrained }))
}

/** Distinct mediators in scope who started a course, finished a module, or finished a course (online), by the period's end. */
async function distinctPeople(ctx: StatsContext, end: string, stage: 'started' | 'module' | 'course'): Promise<number> {
  const mediatorScope = scopeCondition(ctx.scope, { region: 'o.region_code', org: 'm.org_id' })
  if (stage === 'course') {
    // Mediator first, each one's records from the (person_id, status, completed_on, …, source,
    // course_slug) index: the cost follows the scope, not the database's online records.
    const row = await ctx.db
      .selectFrom('mediators as m')
      .innerJoin('organisations as o', 'o.id', 'm.org_id')
      .select(sql<number>`count(*)`.as('n'))
      .where(mediatorScope)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('training_records as tr')
            .select(sql`1`.as('one'))
            .whereRef('tr.person_id', '=', 'm.person_id')
            .where('tr.status', '=', 'approved')
            .where('tr.completed_on', '<', end)
            .where('tr.source', '=', 'online')
            .where('tr.course_slug', 'is not', null),
        ),
      )
      .executeTakeFirst()
    return num(row?.n)
  }
  let query = ctx.db
    .selectFrom('training_progress as tp')
    .innerJoin('mediators as m', 'm.person_id', 'tp.person_id')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select(sql<number>`count(distinct tp.person_id)`.as('n'))
    .where(mediatorScope)
    .where('tp.started_at', '<', end)
  if (stage === 'module') query = query.where('tp.completed_at', 'is not', null).where('tp.completed_at', '<', end)
  const row = await query.executeTakeFirst()
  return num(row?.n)
}
