import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FilterBar, FilterField } from '#app/components/ui/data-table.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { may, requirePermission } from '#app/modules/auth/authz.server.ts'
import { hasPermission } from '#app/modules/auth/policy.ts'
import { browse, parseBrowseParams, regionNames } from '#app/modules/library/browse.server.ts'
import { bookmarks } from '#app/modules/library/personal.server.ts'
import { Chips, Snippet } from '#app/modules/library/ui/snippet.tsx'
import { DISPUTE_TYPE_CODES, OUTCOMES, TECHNIQUES } from '#app/modules/library/vocabulary.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'library.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'library:read')
  const db = getDb()
  const params = parseBrowseParams(new URL(request.url))
  const marks = await bookmarks(db, user.userId)
  const result = await browse(db, params, marks)
  const names = await regionNames(db, [...new Set([...result.regions, ...result.rows.map((r) => r.region)])])
  return {
    params: params.values,
    page: params.page,
    ...result,
    regionNames: names,
    bookmarked: [...marks],
    canSubmit: may(user, 'library:submit', { personId: user.personId }),
    canReview: hasPermission(user, 'library:review'),
  }
}

function pageHref(params: Record<string, string>, page: number): string {
  const search = new URLSearchParams(Object.entries(params).filter(([, v]) => v))
  if (page > 1) search.set('page', String(page))
  return `?${search.toString()}`
}

export default function Library() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const { params } = data
  const filtered = Object.entries(params).some(([k, v]) => v && k !== 'sort' && k !== 'q')
  return (
    <>
      <PageHeader
        title={t('library.title')}
        actions={
          <>
            {data.canSubmit ? (
              <Link to="/library/submissions/new" className="btn-primary">
                {t('library.submit.new')}
              </Link>
            ) : null}
            {data.canSubmit || data.canReview ? (
              <Link to="/library/submissions" className="btn-secondary">
                {data.canReview ? t('library.submissions.review') : t('library.submissions.mine')}
              </Link>
            ) : null}
          </>
        }
      />
      <FilterBar>
        <FilterField label={t('library.search.label')} htmlFor="lib-q">
          <input
            id="lib-q"
            name="q"
            type="search"
            className="input"
            defaultValue={params.q}
            placeholder={t('library.search.placeholder')}
          />
        </FilterField>
        <details className="w-full" open={filtered}>
          <summary className="cursor-pointer text-sm text-accent-800">{t('library.filters.more')}</summary>
          <div className="mt-2 flex flex-wrap items-end gap-3">
            <FilterField label={t('library.field.disputeType')} htmlFor="lib-type">
              <select id="lib-type" name="type" className="input" defaultValue={params.type}>
                <option value="">{t('table.all')}</option>
                {DISPUTE_TYPE_CODES.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </FilterField>
            <FilterField label={t('library.field.domain')} htmlFor="lib-domain">
              <select id="lib-domain" name="domain" className="input" defaultValue={params.domain}>
                <option value="">{t('table.all')}</option>
                {DISPUTE_TYPE_CODES.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </FilterField>
            <FilterField label={t('library.field.region')} htmlFor="lib-region">
              <select id="lib-region" name="region" className="input" defaultValue={params.region}>
                <option value="">{t('table.all')}</option>
                {data.regions.map((code) => (
                  <option key={code} value={code}>
                    {data.regionNames[code] ?? code}
                  </option>
                ))}
              </select>
            </FilterField>
            <FilterField label={t('library.field.year')} htmlFor="lib-year">
              <select id="lib-year" name="year" className="input" defaultValue={params.year}>
                <option value="">{t('table.all')}</option>
                {data.years.map((y) => (
                  <option key={y}>{y}</option>
                ))}
              </select>
            </FilterField>
            <FilterField label={t('library.field.technique')} htmlFor="lib-technique">
              <select id="lib-technique" name="technique" className="input" defaultValue={params.technique}>
                <option value="">{t('table.all')}</option>
                {TECHNIQUES.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </FilterField>
            <FilterField label={t('library.field.outcome')} htmlFor="lib-outcome">
              <select id="lib-outcome" name="outcome" className="input" defaultValue={params.outcome}>
                <option value="">{t('table.all')}</option>
                {OUTCOMES.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </FilterField>
            <FilterField label={t('library.sort.label')} htmlFor="lib-sort">
              <select id="lib-sort" name="sort" className="input" defaultValue={params.sort}>
                <option value="relevance">{t('library.sort.relevance')}</option>
                <option value="date">{t('library.sort.date')}</option>
              </select>
            </FilterField>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="bookmarked" value="1" defaultChecked={params.bookmarked === '1'} />
              {t('library.bookmarks.only')}
            </label>
          </div>
        </details>
      </FilterBar>

      <p className="mb-2 text-sm text-slate-600" aria-live="polite">
        {t('table.total', { count: data.total })}
      </p>

      {data.rows.length === 0 ? (
        <section className="card" data-testid="library-empty">
          <h2 className="text-lg font-semibold">{t('library.empty.title')}</h2>
          <ul className="mt-2 list-disc pl-5 text-sm text-slate-700">
            <li>{t('library.empty.shorter')}</li>
            <li>{t('library.empty.synonyms')}</li>
            <li>{t('library.empty.articles')}</li>
            {filtered ? (
              <li>
                <Link to={params.q ? `?q=${encodeURIComponent(params.q)}` : '?'}>{t('library.empty.clearFilters')}</Link>
              </li>
            ) : null}
          </ul>
        </section>
      ) : (
        <ol className="space-y-3" data-testid="library-results">
          {data.rows.map((row) => (
            <li key={row.key} className="card">
              <h2 className="text-lg font-semibold">
                <Link to={`/library/${encodeURIComponent(row.key)}`}>{row.title}</Link>
                {data.bookmarked.includes(row.key) ? (
                  <span className="ml-2 text-sm text-amber-700" title={t('library.bookmarks.bookmarked')}>
                    ★<span className="sr-only">{t('library.bookmarks.bookmarked')}</span>
                  </span>
                ) : null}
              </h2>
              <p className="text-xs text-slate-600">
                {row.kind === 'curated' ? row.caseId : t('library.kind.submitted')} · {row.disputeType} ·{' '}
                {data.regionNames[row.region] ?? row.region} · {row.year} · {row.outcome}
              </p>
              <Snippet parts={row.snippet} />
              <Chips items={[...row.techniques, ...row.tags]} />
            </li>
          ))}
        </ol>
      )}

      {data.pages > 1 ? (
        <nav aria-label={t('table.pagination')} className="mt-4 flex items-center gap-3 text-sm">
          {data.page > 1 ? <Link to={pageHref(params, data.page - 1)}>{t('table.previous')}</Link> : null}
          <span>{t('table.page', { page: data.page, pages: data.pages })}</span>
          {data.page < data.pages ? <Link to={pageHref(params, data.page + 1)}>{t('table.next')}</Link> : null}
        </nav>
      ) : null}
    </>
  )
}
