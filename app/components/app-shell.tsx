import { Form, NavLink, useLocation } from '@remix-run/react'
import type { ReactNode } from 'react'
import type { Role } from '#db/schema.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import type { NavItem } from '#app/modules/auth/navigation.ts'
import { FlashMessage } from './flash-message.tsx'
import { useT } from './i18n.tsx'
import { PreferenceControls } from './preference-controls.tsx'

export interface ShellUser {
  displayName: string
  username: string
  roles: Role[]
}

function NavList({ nav }: { nav: NavItem[] }) {
  const t = useT()
  return (
    <ul className="space-y-1">
      {nav.map((item) => (
        <li key={item.to}>
          <NavLink
            to={item.to}
            end={item.to === '/'}
            className={({ isActive }) =>
              `block rounded-md px-3 py-2 no-underline ${isActive ? 'bg-accent-100 font-semibold text-accent-800' : 'text-slate-800 hover:bg-slate-100'}`
            }
          >
            {t(item.label)}
          </NavLink>
        </li>
      ))}
    </ul>
  )
}

/**
 * The signed-in layout: header, sidebar (a disclosure menu on phones, which works without
 * JavaScript), flash message and main content.
 */
export function AppShell({ user, nav, children }: { user: ShellUser; nav: NavItem[]; children: ReactNode }) {
  const t = useT()
  const location = useLocation()
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:bg-white focus:p-2">
        {t('app.skipToContent')}
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-2 px-4 py-3">
          <a href="/" className="text-xl font-semibold text-accent-800 no-underline">
            {t('app.name')}
          </a>
          <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
            <span data-testid="signed-in-as">
              {t('shell.signedInAs', { name: user.displayName })}
              <span className="ml-1 text-slate-500">({user.roles.map((r) => t(`role.${r}` as MessageKey)).join('、')})</span>
            </span>
            <PreferenceControls />
            <Form method="post" action="/logout">
              <button type="submit" className="btn-secondary px-3 py-1 text-sm">
                {t('nav.signOut')}
              </button>
            </Form>
          </div>
        </div>
      </header>
      <div className="mx-auto flex max-w-7xl flex-col gap-4 px-4 py-4 md:flex-row md:gap-6">
        <nav aria-label={t('nav.main')} className="md:w-56 md:shrink-0">
          <details className="md:hidden" key={location.pathname}>
            <summary className="btn-secondary w-full cursor-pointer list-none">{t('nav.menu')}</summary>
            <div className="mt-2 rounded-md border border-slate-200 bg-white p-2">
              <NavList nav={nav} />
            </div>
          </details>
          <div className="hidden md:block">
            <NavList nav={nav} />
          </div>
        </nav>
        <main id="main" className="min-w-0 flex-1">
          <FlashMessage />
          {children}
        </main>
      </div>
      <footer className="mx-auto max-w-7xl border-t border-slate-200 px-4 py-4 text-sm text-slate-600">
        <a href="/directory">{t('directory.link')}</a>
      </footer>
    </div>
  )
}
