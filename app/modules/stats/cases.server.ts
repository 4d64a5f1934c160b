/**
 * Difficult-case statistics for cases registered in the period: by dispute type, source,
 * difficulty and stage (outcome), and how long cases took: time to staff (registration to the
 * first expert who accepted) and time to close (registration to conclusion), median and p90 in
 * days. Scope: the case's region and organisation, as on the case list.
 */
import { sql } from 'kysely'
import { scopeCondition } from '#app/lib/list-scope.server.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import type { CaseDifficulty, CaseSource, CaseStatus } from '#db/schema.ts'
import { type StatsContext, num, periodBounds, regionRows } from './context.server.ts'
import { daysBetween, percent, quantile, round1 } from './math.ts'
import type { StatsReport } from './model.ts'

const SOURCES: CaseSource[] = ['party', 'committee', 'court', 'police', 'petition', 'procuratorate', 'other']
const DIFFICULTIES: CaseDifficulty[] = ['ordinary', 'complex', 'major']
const STATUSES: CaseStatus[] = ['registered', 'accepted', 'mediating', 'consulting', 'succeeded', 'failed', 'closed', 'archived']

export async function caseStats(ctx: StatsContext): Promise<StatsReport> {
  const { db, t } = ctx
  const { start, end } = periodBounds(ctx.filters)
  const base = () =>
    db
      .selectFrom('cases as c')
      .where(scopeCondition(ctx.scope, { region: 'c.region_code', org: 'c.org_id' }))
      .where('c.registered_at', '>=', start)
      .where('c.registered_at', '<', end)

  const [byType, byGroup, byRegion, durations] = await Promise.all([
    base()
      .innerJoin('dispute_types as dt', 'dt.code', 'c.dispute_type_code')
      .select(['dt.code', 'dt.name_zh', 'dt.name_en', (eb) => eb.fn.countAll().as('n')])
      .groupBy(['dt.code', 'dt.name_zh', 'dt.name_en'])
      .execute(),
    base()
      .select(['c.source', 'c.difficulty', 'c.status', (eb) => eb.fn.countAll().as('n')])
      .groupBy(['c.source', 'c.difficulty', 'c.status'])
      .execute(),
    base()
      .innerJoin('regions as r', 'r.code', 'c.region_code')
      .select(['r.path', (eb) => eb.fn.countAll().as('n')])
      .groupBy('r.path')
      .execute(),
    base()
      .leftJoin(
        (eb) =>
          eb
            .selectFrom('case_consultations')
            .select(['case_id', sql<string>`min(responded_at)`.as('first_accepted')])
            .where('status', 'in', ['accepted', 'submitted', 'rated'])
            .groupBy('case_id')
            .as('f'),
        (join) => join.onRef('f.case_id', '=', 'c.id'),
      )
      .select(['c.registered_at', 'c.concluded_at', 'f.first_accepted'])
      .execute(),
  ])

  const total = byGroup.reduce((s, r) => s + num(r.n), 0)
  const sumBy = <K extends 'source' | 'difficulty' | 'status'>(key: K, value: string) =>
    byGroup.filter((r) => r[key] === value).reduce((s, r) => s + num(r.n), 0)
  const toStaff = durations.map((d) => daysBetween(d.registered_at, d.first_accepted)).filter((d): d is number => d !== null)
  const toClose = durations.map((d) => daysBetween(d.registered_at, d.concluded_at)).filter((d): d is number => d !== null)
  const succeeded = sumBy('status', 'succeeded')
  const failed = sumBy('status', 'failed')
  const regions = await regionRows(
    ctx,
    byRegion.map((r) => ({ path: r.path, values: [num(r.n)] })),
    1,
  )
  const durationRow = (label: string, days: number[]) => ({
    label,
    values: [days.length, round1(quantile(days, 0.5)), round1(quantile(days, 0.9))],
  })

  return {
    area: 'cases',
    figures: [
      { label: t('stats.cases.registered'), value: total, format: 'int' },
      { label: t('stats.cases.concluded'), value: toClose.length, format: 'int' },
      { label: t('stats.cases.successRate'), value: percent(succeeded, succeeded + failed), format: 'pct' },
      { label: t('stats.cases.medianToStaff'), value: round1(quantile(toStaff, 0.5)), format: 'dec1' },
      { label: t('stats.cases.medianToClose'), value: round1(quantile(toClose, 0.5)), format: 'dec1' },
    ],
    tables: [
      {
        id: 'type',
        title: t('stats.cases.byType'),
        note: t('stats.note.registeredInPeriod'),
        categoryHeader: t('stats.cases.type'),
        series: [{ header: t('stats.cases.count'), format: 'int' }],
        rows: byType
          .sort((a, b) => num(b.n) - num(a.n) || (a.code < b.code ? -1 : 1))
          .map((r) => ({ label: ctx.locale === 'en' ? r.name_en : r.name_zh, values: [num(r.n)] })),
        chart: 'hbar',
      },
      {
        id: 'source',
        title: t('stats.cases.bySource'),
        categoryHeader: t('stats.cases.source'),
        series: [{ header: t('stats.cases.count'), format: 'int' }],
        rows: SOURCES.map((s) => ({ label: t(`cases.source.${s}` as MessageKey), values: [sumBy('source', s)] })).filter(
          (r) => r.values[0]! > 0,
        ),
        chart: 'pie',
      },
      {
        id: 'difficulty',
        title: t('stats.cases.byDifficulty'),
        categoryHeader: t('stats.cases.difficulty'),
        series: [{ header: t('stats.cases.count'), format: 'int' }],
        rows: DIFFICULTIES.map((d) => ({ label: t(`cases.difficulty.${d}` as MessageKey), values: [sumBy('difficulty', d)] })),
        chart: 'bar',
      },
      {
        id: 'status',
        title: t('stats.cases.byStatus'),
        note: t('stats.cases.byStatus.note'),
        categoryHeader: t('stats.cases.status'),
        series: [{ header: t('stats.cases.count'), format: 'int' }],
        rows: STATUSES.map((s) => ({ label: t(`cases.status.${s}` as MessageKey), values: [sumBy('status', s)] })),
        chart: 'bar',
      },
      {
        id: 'region',
        title: t('stats.cases.byRegion'),
        categoryHeader: t('stats.region'),
        series: [{ header: t('stats.cases.count'), format: 'int' }],
        rows: regions,
        chart: 'hbar',
      },
      {
        id: 'durations',
        title: t('stats.cases.durations'),
        note: t('stats.cases.durations.note'),
        categoryHeader: t('stats.cases.measure'),
        series: [
          { header: t('stats.cases.n'), format: 'int' },
          { header: t('stats.median'), format: 'dec1' },
          { header: t('stats.p90'), format: 'dec1' },
        ],
        rows: [durationRow(t('stats.cases.toStaff'), toStaff), durationRow(t('stats.cases.toClose'), toClose)],
        chart: 'bar',
        plot: [1, 2],
      },
    ],
    notes: [t('stats.cases.outcomeNote')],
  }
}
