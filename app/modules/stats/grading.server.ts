/**
 * The grade pyramid: active mediators in scope by their current grade (mediator_grades with
 * status 'current', the best one when a mediator holds several), the ungraded at the bottom, in
 * total and by region (like the Beijing figures in shared/domain.md: 四级 61 %, 三级 4 %, 二级 2 %,
 * 一级 0.3 %, ungraded 32 %). A snapshot: grades as they stand today. Scope: the mediator's region
 * and organisation.
 */
import { sql } from 'kysely'
import { scopeCondition } from '#app/lib/list-scope.server.ts'
import { type StatsContext, num, regionRows } from './context.server.ts'
import { percent } from './math.ts'
import type { StatsReport } from './model.ts'

export async function gradingStats(ctx: StatsContext): Promise<StatsReport> {
  const { db, t } = ctx
  const [counts, names] = await Promise.all([
    db
      .selectFrom('mediators as m')
      .innerJoin('people as p', 'p.id', 'm.person_id')
      .innerJoin('regions as r', 'r.code', 'p.region_code')
      .leftJoin(
        (eb) =>
          eb
            .selectFrom('mediator_grades')
            .select(['person_id', sql<number>`min(grade_rank)`.as('grade_rank')])
            .where('status', '=', 'current')
            .groupBy('person_id')
            .as('g'),
        (join) => join.onRef('g.person_id', '=', 'm.person_id'),
      )
      .select(['r.path', 'g.grade_rank', (eb) => eb.fn.countAll().as('n')])
      .where(scopeCondition(ctx.scope, { region: 'p.region_code', org: 'm.org_id' }))
      .where('m.status', '=', 'active')
      .groupBy(['r.path', 'g.grade_rank'])
      .execute(),
    db
      .selectFrom('mediator_grades')
      .select(['grade_rank', sql<string>`min(grade_name)`.as('grade_name')])
      .where('status', '=', 'current')
      .groupBy('grade_rank')
      .execute(),
  ])
  const rankName = new Map(names.map((n) => [num(n.grade_rank), n.grade_name]))
  const ranks = [...new Set(counts.filter((c) => c.grade_rank !== null).map((c) => num(c.grade_rank)))].sort((a, b) => a - b)
  // Columns: each grade by rank (1 = highest), then the ungraded.
  const column = (rank: number | null) => (rank === null ? ranks.length : ranks.indexOf(num(rank)))
  const width = ranks.length + 1
  const totals = Array.from({ length: width }, () => 0)
  const byPath = new Map<string, number[]>()
  for (const c of counts) {
    const i = column(c.grade_rank === null ? null : num(c.grade_rank))
    totals[i] = totals[i]! + num(c.n)
    const row = byPath.get(c.path) ?? Array.from({ length: width }, () => 0)
    row[i] = row[i]! + num(c.n)
    byPath.set(c.path, row)
  }
  const all = totals.reduce((s, n) => s + n, 0)
  const headers = [...ranks.map((r) => rankName.get(r) ?? t('stats.grading.rank', { rank: r })), t('stats.grading.ungraded')]
  const regions = await regionRows(
    ctx,
    [...byPath.entries()].map(([path, values]) => ({ path, values: [values.reduce((s, n) => s + n, 0), ...values] })),
    width + 1,
  )

  return {
    area: 'grading',
    figures: [
      { label: t('stats.grading.mediators'), value: all, format: 'int' },
      { label: t('stats.grading.graded'), value: all - totals[ranks.length]!, format: 'int' },
      { label: t('stats.grading.gradedShare'), value: percent(all - totals[ranks.length]!, all), format: 'pct' },
    ],
    tables: [
      {
        id: 'pyramid',
        title: t('stats.grading.pyramid'),
        note: t('stats.grading.pyramid.note'),
        categoryHeader: t('stats.grading.grade'),
        series: [
          { header: t('stats.grading.mediators'), format: 'int' },
          { header: t('stats.share'), format: 'pct' },
        ],
        rows: headers.map((label, i) => ({ label, values: [totals[i]!, percent(totals[i]!, all)] })),
        chart: 'hbar',
        plot: [0],
      },
      {
        id: 'region',
        title: t('stats.grading.byRegion'),
        categoryHeader: t('stats.region'),
        series: [{ header: t('stats.grading.mediators'), format: 'int' }, ...headers.map((header) => ({ header, format: 'int' as const }))],
        rows: regions,
        chart: 'stacked',
        plot: headers.map((_, i) => i + 1),
      },
      {
        id: 'region-share',
        title: t('stats.grading.byRegionShare'),
        categoryHeader: t('stats.region'),
        series: headers.map((header) => ({ header, format: 'pct' as const })),
        rows: regions.map((r) => ({ label: r.label, values: r.values.slice(1).map((v) => percent(v, r.values[0]!)) })),
        chart: null,
      },
    ],
    notes: [],
  }
}
