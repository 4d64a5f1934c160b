import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requireUser } from '#app/modules/auth/authz.server.ts'
import { describeGrants } from '#app/modules/auth/grants.server.ts'
import { navigationFor } from '#app/modules/auth/navigation.ts'
import { homeDashboard } from '#app/modules/dashboard/home.server.ts'
import { AssociationPanelView, ExpertPanelView, MediatorPanelView, StaffPanelView } from '#app/modules/dashboard/ui.tsx'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'home.title')

/** The signed-in home: panels for the user's roles (app/modules/dashboard), then their shortcuts. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const [grants, dashboard] = await Promise.all([describeGrants(user.grants), homeDashboard(getDb(), user)])
  return {
    displayName: user.displayName,
    grants,
    dashboard,
    shortcuts: navigationFor(user).filter((item) => item.to !== '/'),
  }
}

export default function Home() {
  const t = useT()
  const { displayName, grants, dashboard, shortcuts } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader title={t('home.welcome', { name: displayName })} />
      <section className="card" aria-labelledby="roles-heading">
        <h2 id="roles-heading" className="text-lg">
          {t('home.roles')}
        </h2>
        {grants.length === 0 ? (
          <p className="mt-2 text-slate-700">{t('home.noRoles')}</p>
        ) : (
          <ul className="mt-2 space-y-1" data-testid="my-grants">
            {grants.map((g) => (
              <li key={`${g.role}-${g.scopeName ?? ''}`}>
                {t(`role.${g.role}` as MessageKey)}
                {g.scopeName ? <span className="text-slate-600"> · {g.scopeName}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      {dashboard.panels.length ? (
        <div className="mt-6 grid grid-cols-1 gap-4 lg:grid-cols-2">
          {dashboard.panels.map((panel) => {
            switch (panel) {
              case 'mediator':
                return <MediatorPanelView key={panel} data={dashboard.mediator} />
              case 'staff':
                return dashboard.staff ? <StaffPanelView key={panel} data={dashboard.staff} /> : null
              case 'association':
                return dashboard.association ? <AssociationPanelView key={panel} data={dashboard.association} /> : null
              case 'expert':
                return dashboard.expert ? <ExpertPanelView key={panel} data={dashboard.expert} /> : null
            }
          })}
        </div>
      ) : null}
      <h2 className="mt-6 text-lg">{t('dashboard.shortcuts')}</h2>
      <ul className="mt-2 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {shortcuts.map((item) => (
          <li key={item.to}>
            <Link to={item.to} className="card block text-lg font-medium no-underline hover:border-accent-600">
              {t(item.label)}
            </Link>
          </li>
        ))}
      </ul>
    </>
  )
}
