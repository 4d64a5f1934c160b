/**
 * The one table for staff lists: server-side sorting and paging through the URL (so every view
 * is a shareable link and works without JavaScript), a sticky header, `共 N 条` and the export
 * button in the same place on every list. Filters sit above it in a <FilterBar>.
 */
import { Form, Link, useLocation } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useT } from '../i18n.tsx'
import { type CursorPages, CursorPager } from './cursor-pager.tsx'

export interface Column<Row> {
  key: string
  header: string
  /** Server-side sort key; the column is sortable when set. */
  sortKey?: string
  render: (row: Row) => ReactNode
  className?: string
}

export interface DataTableProps<Row> {
  caption: string
  columns: Column<Row>[]
  rows: Row[]
  rowKey: (row: Row) => string
  total: number
  /** Offset paging (the default): the current page and its size. */
  page?: number
  pageSize?: number
  /** Keyset paging instead of page numbers, for lists deep enough that offsets get slow. */
  cursor?: CursorPages
  sort?: string
  dir?: 'asc' | 'desc'
  /** Link to the same list as a spreadsheet (the current filters apply). */
  exportHref?: string
}

function withParams(search: string, changes: Record<string, string | null>): string {
  const params = new URLSearchParams(search)
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) params.delete(k)
    else params.set(k, v)
  }
  const s = params.toString()
  return s ? `?${s}` : '?'
}

export function DataTable<Row>(props: DataTableProps<Row>) {
  const t = useT()
  const { search } = useLocation()
  const page = props.page ?? 1
  const pages = Math.max(1, Math.ceil(props.total / (props.pageSize ?? 20)))
  return (
    <div className="card p-0 sm:p-0">
      <div className="overflow-x-auto">
        <table className="w-full border-collapse text-left text-sm sm:text-base">
          <caption className="sr-only">{props.caption}</caption>
          <thead className="sticky top-0 bg-slate-100 text-slate-700">
            <tr>
              {props.columns.map((c) => {
                const active = c.sortKey && props.sort === c.sortKey
                const nextDir = active && props.dir === 'asc' ? 'desc' : 'asc'
                return (
                  <th
                    key={c.key}
                    scope="col"
                    className={`whitespace-nowrap px-3 py-2 font-semibold ${c.className ?? ''}`}
                    aria-sort={active ? (props.dir === 'asc' ? 'ascending' : 'descending') : undefined}
                  >
                    {c.sortKey ? (
                      <Link
                        to={withParams(search, { sort: c.sortKey, dir: nextDir, page: null, after: null, before: null })}
                        className="text-slate-800"
                        aria-label={t('table.sortBy', { column: c.header })}
                      >
                        {c.header}
                        {active ? <span aria-hidden="true"> {props.dir === 'asc' ? '▲' : '▼'}</span> : null}
                      </Link>
                    ) : (
                      c.header
                    )}
                  </th>
                )
              })}
            </tr>
          </thead>
          <tbody>
            {props.rows.length === 0 ? (
              <tr>
                <td colSpan={props.columns.length} className="px-3 py-6 text-center text-slate-600">
                  {t('table.empty')}
                </td>
              </tr>
            ) : (
              props.rows.map((row) => (
                <tr key={props.rowKey(row)} className="border-t border-slate-200 hover:bg-slate-50">
                  {props.columns.map((c) => (
                    <td key={c.key} className={`px-3 py-2 align-top ${c.className ?? ''}`}>
                      {c.render(row)}
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 px-3 py-3 text-sm">
        <span data-testid="table-total">{t('table.total', { count: t.number(props.total) })}</span>
        <div className="flex flex-wrap items-center gap-3">
          {props.exportHref ? (
            <a href={props.exportHref} className="btn-secondary px-3 py-1 text-sm">
              {t('table.export')}
            </a>
          ) : null}
          {props.cursor ? (
            <CursorPager pages={props.cursor} />
          ) : (
            <>
              {page > 1 ? (
                <Link to={withParams(search, { page: String(page - 1) })} rel="prev">
                  {t('table.previous')}
                </Link>
              ) : null}
              <span>{t('table.page', { page, pages })}</span>
              {page < pages ? (
                <Link to={withParams(search, { page: String(page + 1) })} rel="next">
                  {t('table.next')}
                </Link>
              ) : null}
            </>
          )}
        </div>
      </div>
    </div>
  )
}

/**
 * Filters above a table: a GET form, so the filter state lives in the URL. `keep` carries URL
 * state the form has no field for (the current sort), so filtering does not reset it.
 */
export function FilterBar({ children, keep = {} }: { children: ReactNode; keep?: Record<string, string | undefined> }) {
  const t = useT()
  const { pathname } = useLocation()
  return (
    // biome-ignore lint/a11y/useSemanticElements: React 18 has no <search> element; the role says the same.
    <Form method="get" className="card mb-4 flex flex-wrap items-end gap-3" role="search">
      {Object.entries(keep).map(([name, value]) =>
        value === undefined ? null : <input key={name} type="hidden" name={name} value={value} />,
      )}
      {children}
      <div className="flex gap-2">
        <button type="submit" className="btn-primary">
          {t('table.filter')}
        </button>
        <Link to={pathname} className="btn-secondary">
          {t('table.clear')}
        </Link>
      </div>
    </Form>
  )
}

/** A labelled control for a FilterBar (native inputs: they work on every phone). */
export function FilterField({ label, htmlFor, children }: { label: string; htmlFor: string; children: ReactNode }) {
  return (
    <div className="min-w-[10rem] flex-1 sm:flex-none">
      <label htmlFor={htmlFor} className="label">
        {label}
      </label>
      {children}
    </div>
  )
}

/** A filter drop-down with an "all" choice first: the usual filter on every list. */
export function FilterSelect({
  label,
  id,
  name,
  value,
  options,
}: {
  label: string
  id: string
  name: string
  value: string | null | undefined
  options: { value: string; label: string }[]
}) {
  const t = useT()
  return (
    <FilterField label={label} htmlFor={id}>
      <select id={id} name={name} className="input" defaultValue={value ?? ''}>
        <option value="">{t('table.all')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FilterField>
  )
}

/** The free-text search box of a FilterBar. */
export function FilterSearch({
  label,
  id,
  name = 'q',
  value,
  placeholder,
}: {
  label: string
  id: string
  name?: string
  value: string | null | undefined
  placeholder?: string
}) {
  return (
    <FilterField label={label} htmlFor={id}>
      <input id={id} name={name} type="search" className="input" defaultValue={value ?? ''} placeholder={placeholder} autoComplete="off" />
    </FilterField>
  )
}
