/**
 * Case library statistics: submissions made in the period by status, dispute type and month,
 * review decisions in the period (acceptance rate), and the most bookmarked cases. Reads are not
 * recorded anywhere, so "most read" cannot be shown; bookmarks are the nearest measure of
 * interest and are labelled as such. Scope: the submission's scope region and organisation, as
 * for reviewers.
 */
import { sql } from 'kysely'
import { scopeCondition } from '#app/lib/list-scope.server.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import { curatedCases } from '#app/modules/library/curated.server.ts'
import { type StatsContext, num, periodBounds } from './context.server.ts'
import { percent } from './math.ts'
import type { StatsReport } from './model.ts'

const TOP = 10

export async function libraryStats(ctx: StatsContext): Promise<StatsReport> {
  const { db, t } = ctx
  const { start, end } = periodBounds(ctx.filters)
  const inScope = scopeCondition(ctx.scope, { region: 'ls.scope_region_code', org: 'ls.org_id' })
  const submitted = () =>
    db.selectFrom('library_submissions as ls').where(inScope).where('ls.submitted_at', '>=', start).where('ls.submitted_at', '<', end)

  const [byStatus, byType, byMonth, decisions, bookmarks] = await Promise.all([
    submitted()
      .select(['ls.status', (eb) => eb.fn.countAll().as('n')])
      .groupBy('ls.status')
      .execute(),
    submitted()
      .leftJoin('dispute_types as dt', 'dt.code', 'ls.dispute_type')
      .select(['ls.dispute_type', 'dt.name_zh', 'dt.name_en', (eb) => eb.fn.countAll().as('n')])
      .groupBy(['ls.dispute_type', 'dt.name_zh', 'dt.name_en'])
      .execute(),
    submitted()
      .select([sql<string>`substr(ls.submitted_at, 1, 7)`.as('month'), (eb) => eb.fn.countAll().as('n')])
      .groupBy(sql`substr(ls.submitted_at, 1, 7)`)
      .execute(),
    db
      .selectFrom('library_reviews as lr')
      .innerJoin('library_submissions as ls', 'ls.id', 'lr.submission_id')
      .select(['lr.decision', (eb) => eb.fn.countAll().as('n')])
      .where(inScope)
      .where('lr.created_at', '>=', start)
      .where('lr.created_at', '<', end)
      .groupBy('lr.decision')
      .execute(),
    db
      .selectFrom('library_bookmarks')
      .select(['case_key', (eb) => eb.fn.countAll().as('n')])
      .groupBy('case_key')
      .orderBy(sql`count(*)`, 'desc')
      .orderBy('case_key')
      .limit(TOP)
      .execute(),
  ])

  const titles = new Map<string, string>()
  if (bookmarks.length) {
    const curated = await curatedCases().catch(() => [])
    for (const c of curated) titles.set(c.key, c.title)
    const rest = bookmarks.map((b) => b.case_key).filter((k) => !titles.has(k))
    if (rest.length)
      for (const s of await db.selectFrom('library_submissions').select(['id', 'title']).where('id', 'in', rest).execute())
        titles.set(s.id, s.title)
  }
  const total = byStatus.reduce((s, r) => s + num(r.n), 0)
  const accepts = num(decisions.find((d) => d.decision === 'accept')?.n)
  const returns = num(decisions.find((d) => d.decision === 'return')?.n)

  return {
    area: 'library',
    figures: [
      { label: t('stats.library.submitted'), value: total, format: 'int' },
      { label: t('stats.library.decisions'), value: accepts + returns, format: 'int' },
      { label: t('stats.library.acceptanceRate'), value: percent(accepts, accepts + returns), format: 'pct' },
    ],
    tables: [
      {
        id: 'status',
        title: t('stats.library.byStatus'),
        note: t('stats.library.byStatus.note'),
        categoryHeader: t('stats.library.status'),
        series: [{ header: t('stats.count'), format: 'int' }],
        rows: (['submitted', 'returned', 'accepted'] as const).map((s) => ({
          label: t(`library.status.${s}` as MessageKey),
          values: [num(byStatus.find((r) => r.status === s)?.n)],
        })),
        chart: 'pie',
      },
      {
        id: 'month',
        title: t('stats.library.byMonth'),
        categoryHeader: t('stats.month'),
        series: [{ header: t('stats.library.submittedHeader'), format: 'int' }],
        rows: byMonth.sort((a, b) => (a.month < b.month ? -1 : 1)).map((m) => ({ label: m.month, values: [num(m.n)] })),
        chart: 'bar',
      },
      {
        id: 'type',
        title: t('stats.library.byType'),
        categoryHeader: t('stats.cases.type'),
        series: [{ header: t('stats.library.submittedHeader'), format: 'int' }],
        rows: byType
          .sort((a, b) => num(b.n) - num(a.n) || (a.dispute_type < b.dispute_type ? -1 : 1))
          .map((r) => ({ label: (ctx.locale === 'en' ? r.name_en : r.name_zh) ?? r.dispute_type, values: [num(r.n)] })),
        chart: 'hbar',
      },
      {
        id: 'decisions',
        title: t('stats.library.reviewDecisions'),
        categoryHeader: t('stats.library.decision'),
        series: [{ header: t('stats.count'), format: 'int' }],
        rows: [
          { label: t('stats.library.accept'), values: [accepts] },
          { label: t('stats.library.return'), values: [returns] },
        ],
        chart: 'pie',
      },
      {
        id: 'bookmarked',
        title: t('stats.library.mostBookmarked'),
        note: t('stats.library.mostBookmarked.note'),
        categoryHeader: t('stats.library.case'),
        series: [{ header: t('stats.library.bookmarks'), format: 'int' }],
        rows: bookmarks.map((b) => ({ label: titles.get(b.case_key) ?? b.case_key, values: [num(b.n)] })),
        chart: 'hbar',
      },
    ],
    notes: [t('stats.library.readsNotRecorded')],
  }
}
