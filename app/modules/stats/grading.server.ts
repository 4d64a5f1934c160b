/**
 * The grade pyramid: active mediators in scope by their current grade (mediator_grades with
 * status 'current', the best one when a mediator holds several), the ungraded at the bottom, in
 * total and by region (like the Beijing figures in shared/domain.md: 四级 61 %, 三级 4 %, 二级 2 %,
 * 一级 0.3 %, ungraded 32 %). A snapshot: grades as they stand today. Scope: the mediator's region
 * and organisation.
 */
import { formatDateTime } from '#app/lib/i18n.ts'
import { liveGradeCounts, readGradeFigures } from './grade-figures.server.ts'
import { type StatsContext, num, regionRows } from './context.server.ts'
import { percent } from './math.ts'
import type { StatsReport } from './model.ts'

export async function gradingStats(ctx: StatsContext): Promise<StatsReport> {
  const { db, t } = ctx
  // A large region scope reads the pyramid the figures job keeps (ADR 033); others count live.
  const stored = await readGradeFigures(db, ctx.scope, ctx.today)
  const { counts, names: rankName } = stored ?? (await liveGradeCounts(db, ctx.scope))
  const ranks = [...new Set(counts.flatMap((c) => (c.rank === null ? [] : [c.rank])))].sort((a, b) => a - b)
  // Columns: each grade by rank (1 = highest), then the ungraded.
  const column = (rank: number | null) => (rank === null ? ranks.length : ranks.indexOf(num(rank)))
  const width = ranks.length + 1
  const totals = Array.from({ length: width }, () => 0)
  const byPath = new Map<string, number[]>()
  for (const c of counts) {
    const i = column(c.rank)
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
    notes: stored ? [t('stats.grading.storedFigures', { at: formatDateTime(ctx.locale, stored.computedAt) })] : [],
    ...(stored ? { figuresAt: stored.computedAt } : {}),
  }
}
