import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import type { MessageKey } from '#app/lib/i18n.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { forbidden } from '#app/lib/http.server.ts'
import { actorOf, requireUser } from '#app/modules/auth/authz.server.ts'
import { areaTitle } from '#app/modules/stats/model.ts'
import { visibleAreas } from '#app/modules/stats/scope.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'stats.title')

/** The statistics areas the user may see (each page checks its own permission again). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const areas = visibleAreas(user)
  if (!areas.length) {
    // No statistics at all for this account: refused and logged like any missing permission.
    await audit(getDb(), request, actorOf(user), { action: 'authz.forbidden', recordType: 'stats', result: 'denied' })
    forbidden()
  }
  return { areas }
}

export default function StatsIndex() {
  const t = useT()
  const { areas } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader title={t('stats.title')} crumbs={[{ label: t('stats.title') }]} />
      <p className="mb-4 text-slate-700">{t('stats.intro')}</p>
      <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" data-testid="stats-areas">
        {areas.map((area) => (
          <li key={area} className="card">
            <Link to={`/stats/${area}`} className="text-lg font-semibold">
              {t(areaTitle(area))}
            </Link>
            <p className="mt-1 text-sm text-slate-600">{t(`stats.area.${area}.summary` as MessageKey)}</p>
          </li>
        ))}
      </ul>
    </>
  )
}
