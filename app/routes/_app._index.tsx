import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import type { MessageKey } from '#app/lib/i18n.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requireUser } from '#app/modules/auth/authz.server.ts'
import { describeGrants } from '#app/modules/auth/grants.server.ts'
import { navigationFor } from '#app/modules/auth/navigation.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'home.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return {
    displayName: user.displayName,
    grants: await describeGrants(user.grants),
    shortcuts: navigationFor(user).filter((item) => item.to !== '/'),
  }
}

export default function Home() {
  const t = useT()
  const { displayName, grants, shortcuts } = useLoaderData<typeof loader>()
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
      <ul className="mt-6 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
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
