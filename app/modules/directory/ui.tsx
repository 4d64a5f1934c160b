/** Pieces shared by the public directory's pages: the filter form, the result cards, the pager and the result count. */
import { Form, Link, useLocation } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useT } from '#app/components/i18n.tsx'

export interface Choice {
  value: string
  label: string
}

/** A GET form: filters are part of the URL, so results are shareable, cacheable and work without JavaScript. */
export function DirectoryFilterForm({
  q,
  placeholder,
  children,
}: {
  q: string
  placeholder: string
  children?: ReactNode
}) {
  const t = useT()
  const { pathname } = useLocation()
  return (
    // biome-ignore lint/a11y/useSemanticElements: React 18 has no <search> element; the role says the same.
    <Form method="get" className="card mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-4" role="search" data-testid="directory-filters">
      <div className="sm:col-span-2 lg:col-span-4">
        <label htmlFor="directory-q" className="label">
          {t('directory.search.label')}
        </label>
        <input
          id="directory-q"
          name="q"
          type="search"
          className="input"
          defaultValue={q}
          placeholder={placeholder}
          autoComplete="off"
          enterKeyHint="search"
        />
      </div>
      {children}
      <div className="flex flex-wrap gap-2 sm:col-span-2 lg:col-span-4">
        <button type="submit" className="btn-primary">
          {t('directory.filter.submit')}
        </button>
        <Link to={pathname} className="btn-secondary">
          {t('directory.filter.reset')}
        </Link>
      </div>
    </Form>
  )
}

export function DirectorySelect({
  id,
  name,
  label,
  value,
  options,
}: {
  id: string
  name: string
  label: string
  value: string | null
  options: Choice[]
}) {
  const t = useT()
  return (
    <div>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <select id={id} name={name} className="input" defaultValue={value ?? ''}>
        <option value="">{t('directory.filter.all')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  )
}

/** Indents regions under their parents in a native select. */
export function regionChoices(regions: { code: string; name: string; depth: number }[]): Choice[] {
  return regions.map((r) => ({ value: r.code, label: `${'\u00a0\u00a0'.repeat(r.depth)}${r.name}` }))
}

/** Total, and links to the first and next pages (keyset: the cursor continues after the last row shown). */
export function DirectoryPager({ total, nextCursor }: { total: number | undefined; nextCursor: string | null }) {
  const t = useT()
  const { pathname, search } = useLocation()
  const params = new URLSearchParams(search)
  const onLaterPage = params.has('cursor')
  params.delete('cursor')
  const first = params.toString()
  const next = new URLSearchParams(params)
  if (nextCursor) next.set('cursor', nextCursor)
  return (
    <nav aria-label={t('directory.pager')} className="mt-4 flex flex-wrap items-center gap-4">
      {total !== undefined ? (
        <span className="text-slate-700" data-testid="directory-count">
          {t('directory.count', { count: total })}
        </span>
      ) : null}
      {onLaterPage ? <Link to={first ? `${pathname}?${first}` : pathname}>{t('directory.first')}</Link> : null}
      {nextCursor ? (
        <Link to={`${pathname}?${next.toString()}`} rel="next" className="btn-secondary">
          {t('directory.next')}
        </Link>
      ) : null}
    </nav>
  )
}

/** A labelled line of a result card. */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex flex-wrap gap-x-2">
      <dt className="text-slate-600">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  )
}

/**
 * One page of results as cards (name, then the facts `facts` gives), or the line saying nothing
 * matched, and the pager below.
 */
export function DirectoryResults<Item extends { id: string; name: string }>({
  page,
  itemTestId,
  facts,
}: {
  page: { items: Item[]; total?: number; nextCursor: string | null }
  itemTestId: string
  facts: (item: Item) => ReactNode
}) {
  const t = useT()
  return (
    <>
      {page.items.length ? (
        <ul className="grid gap-3 md:grid-cols-2" data-testid="directory-results">
          {page.items.map((item) => (
            <li key={item.id} className="card" data-testid={itemTestId}>
              <h2 className="text-lg font-semibold">{item.name}</h2>
              <dl className="mt-2 space-y-1 text-sm">{facts(item)}</dl>
            </li>
          ))}
        </ul>
      ) : (
        <p className="card" data-testid="directory-none">
          {t('directory.none')}
        </p>
      )}
      <DirectoryPager total={page.total} nextCursor={page.nextCursor} />
    </>
  )
}
