import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FilterBar, FilterField, FilterSelect } from '#app/components/ui/data-table.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { forbidden, notFound } from '#app/lib/http.server.ts'
import { getLocale } from '#app/lib/i18n.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { todayInChina } from '#app/lib/time.ts'
import { type AuthUser, requirePermission, requireUser, scopeFor } from '#app/modules/auth/authz.server.ts'
import { regionOptionLabel } from '#app/modules/orgs/org-form.tsx'
import { regionsInScope } from '#app/modules/regions/regions.server.ts'
import {
  AREA_PERMISSION,
  type StatsArea,
  type StatsFilters,
  areaTitle,
  filtersQuery,
  isStatsArea,
  parseStatsFilters,
} from '#app/modules/stats/model.ts'
import { buildStatsReport, withCharts } from '#app/modules/stats/report.server.ts'
import { visibleAreas } from '#app/modules/stats/scope.server.ts'
import { StatFigures, StatTableView } from '#app/modules/stats/ui.tsx'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data ? areaTitle(data.area) : 'stats.title')

/**
 * One statistics area (`/stats/cases`): the area's own permission, counted within the user's
 * scope narrowed by the region filter. Its export is `_app.stats.$area_.export[.xlsx].tsx`.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  // Signed in first: an anonymous visitor goes to /login whatever the URL names.
  await requireUser(request)
  const area = params.area ?? ''
  if (!isStatsArea(area)) notFound()
  const user = await requirePermission(request, AREA_PERMISSION[area])
  // Holding the permission for one's own record only (a mediator) gives no statistics.
  if (!visibleAreas(user).includes(area)) forbidden()
  const filters = parseStatsFilters(new URL(request.url), todayInChina())
  return areaPage(request, user, area, filters)
}

/** The page's data (the loader's non-export branch, typed on its own for the component). */
async function areaPage(request: Request, user: AuthUser, area: StatsArea, filters: StatsFilters) {
  const db = getDb()
  const locale = await getLocale(request)
  const [report, regions] = await Promise.all([
    buildStatsReport(db, user, area, filters, locale, todayInChina(), { cache: true }),
    regionsInScope(db, scopeFor(user, AREA_PERMISSION[area])),
  ])
  return {
    area,
    filters,
    query: filtersQuery(filters),
    figures: report.figures,
    computedAt: report.computedAt,
    notes: report.notes,
    tables: withCharts(report.tables),
    quizzes: report.quizzes ?? null,
    drill: report.drill ?? null,
    regions: regions.map((r) => ({ value: r.code, label: regionOptionLabel(r) })),
    areas: visibleAreas(user),
  }
}

export default function StatsAreaPage() {
  const t = useT()
  const { area, filters, query, figures, computedAt, notes, tables, quizzes, drill, regions, areas } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader
        title={t(areaTitle(area))}
        crumbs={[{ label: t('stats.title'), to: '/stats' }, { label: t(areaTitle(area)) }]}
        actions={
          <a href={`/stats/${area}/export.xlsx?${query}`} className="btn-secondary" download data-testid="stats-export">
            {t('stats.export')}
          </a>
        }
      />
      <nav aria-label={t('stats.title')} className="mb-4 flex flex-wrap gap-2 text-sm">
        {areas.map((a) => (
          <Link
            key={a}
            to={`/stats/${a}?${new URLSearchParams({ from: filters.from, to: filters.to, ...(filters.region ? { region: filters.region } : {}) })}`}
            className={a === area ? 'btn-primary' : 'btn-secondary'}
            aria-current={a === area ? 'page' : undefined}
          >
            {t(areaTitle(a))}
          </Link>
        ))}
      </nav>
      <FilterBar>
        <FilterField label={t('stats.filter.from')} htmlFor="stats-from">
          <input id="stats-from" name="from" type="date" className="input" defaultValue={filters.from} />
        </FilterField>
        <FilterField label={t('stats.filter.to')} htmlFor="stats-to">
          <input id="stats-to" name="to" type="date" className="input" defaultValue={filters.to} />
        </FilterField>
        <FilterSelect label={t('stats.filter.region')} id="stats-region" name="region" value={filters.region} options={regions} />
        {quizzes && quizzes.length > 1 ? (
          <FilterSelect
            label={t('stats.filter.drill')}
            id="stats-drill"
            name="drill"
            value={drill}
            options={quizzes.map((q) => ({ value: q.slug, label: q.title }))}
          />
        ) : null}
      </FilterBar>
      <StatFigures figures={figures} />
      <p className="-mt-2 mb-4 text-sm text-slate-600" data-testid="stats-computed-at">
        {t('stats.computedAt', { at: t.dateTime(computedAt) })}
      </p>
      {notes.length ? (
        <aside className="card mb-6 text-sm text-slate-700" aria-label={t('stats.notes')}>
          {notes.map((n) => (
            <p key={n}>{n}</p>
          ))}
        </aside>
      ) : null}
      {tables.map((table) => (
        <StatTableView key={table.id} table={table} />
      ))}
    </>
  )
}
