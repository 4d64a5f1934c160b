import { Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useT } from '../i18n.tsx'

export interface Crumb {
  label: string
  to?: string
}

/** Breadcrumbs, the page title and the page's main actions, in the same place on every page. */
export function PageHeader({ title, crumbs = [], actions }: { title: string; crumbs?: Crumb[]; actions?: ReactNode }) {
  const t = useT()
  return (
    <div className="mb-6">
      <nav aria-label={t('nav.breadcrumbs')} className="text-sm text-slate-600">
        <ol className="flex flex-wrap items-center gap-1">
          <li>
            <Link to="/">{t('nav.home')}</Link>
          </li>
          {crumbs.map((c) => (
            <li key={c.label} className="flex items-center gap-1">
              <span aria-hidden="true">/</span>
              {c.to ? <Link to={c.to}>{c.label}</Link> : <span aria-current="page">{c.label}</span>}
            </li>
          ))}
        </ol>
      </nav>
      <div className="mt-2 flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl">{title}</h1>
        {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
      </div>
    </div>
  )
}
