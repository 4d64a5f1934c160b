import { Link, NavLink, Outlet } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PreferenceControls } from '#app/components/preference-controls.tsx'
import { directoryHeaders } from '#app/modules/directory/headers.ts'

export const headers = directoryHeaders

const TABS = [
  { to: '/directory', label: 'directory.tab.orgs', end: true },
  { to: '/directory/mediators', label: 'directory.tab.mediators', end: false },
  { to: '/directory/experts', label: 'directory.tab.experts', end: false },
] as const

/**
 * The public directory's layout (no sign-in, no `_app` shell): title, language and text size,
 * the three sections as tabs, and a footer back to staff sign-in. Phone first: one column,
 * tabs that scroll sideways when they do not fit.
 */
export default function DirectoryLayout() {
  const t = useT()
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:bg-white focus:p-2">
        {t('app.skipToContent')}
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-2 px-4 pt-3">
          <Link to="/directory" className="text-xl font-semibold text-accent-800 no-underline">
            {t('app.name')} · {t('directory.title')}
          </Link>
          <PreferenceControls />
        </div>
        <nav aria-label={t('directory.nav.label')} className="mx-auto max-w-5xl px-4">
          <ul className="-mb-px flex gap-1 overflow-x-auto">
            {TABS.map((tab) => (
              <li key={tab.to} className="shrink-0">
                <NavLink
                  to={tab.to}
                  end={tab.end}
                  prefetch="intent"
                  className={({ isActive }) =>
                    `block border-b-2 px-3 py-3 no-underline ${isActive ? 'border-accent-700 font-semibold text-accent-800' : 'border-transparent text-slate-700 hover:text-accent-800'}`
                  }
                >
                  {t(tab.label)}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-4">
        <Outlet />
      </main>
      <footer className="border-t border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-2 px-4 py-4 text-sm text-slate-600">
          <p>{t('directory.footer')}</p>
          <Link to="/login">{t('directory.signIn')}</Link>
        </div>
      </footer>
    </div>
  )
}
