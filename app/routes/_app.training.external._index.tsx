import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requirePermission, scopeFor } from '#app/modules/auth/authz.server.ts'
import { type ExternalRecord, listExternalRecords } from '#app/modules/training/external.server.ts'
import { kindLabel, recordStatusLabel } from '#app/modules/training/labels.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'training.external.queueTitle')

/** The approval queue of external training records (外部培训审核) for mediators in the reviewer's scope. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'training:manage')
  const scope = scopeFor(user, 'training:manage')
  const db = getDb()
  const [pending, decided] = await Promise.all([listExternalRecords(db, scope, 'pending'), listExternalRecords(db, scope, 'decided', 30)])
  // A reviewer who is also a mediator never sees their own claims here (someone else decides them).
  const notOwn = (r: ExternalRecord) => r.personId !== user.personId
  return { pending: pending.filter(notOwn), decided: decided.filter(notOwn) }
}

function RecordLine({ r }: { r: ExternalRecord }) {
  const t = useT()
  return (
    <li className="flex flex-col gap-1 py-3 sm:flex-row sm:items-center sm:justify-between">
      <div>
        <Link to={`/training/external/${r.id}`} className="font-medium">
          {r.title}
        </Link>
        <p className="text-sm text-slate-600">
          {r.personName}
          {r.orgName ? ` · ${r.orgName}` : ''} · {r.provider} · {t(kindLabel(r.kind))} · {r.startDate ? `${t.date(r.startDate)}–` : ''}
          {t.date(r.endDate)}
        </p>
      </div>
      <div className="flex items-center gap-3 text-sm">
        <span className="font-medium">{t('training.catalogue.hours', { hours: r.hours })}</span>
        <span>{t(recordStatusLabel(r.status))}</span>
      </div>
    </li>
  )
}

export default function ExternalQueue() {
  const t = useT()
  const { pending, decided } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader title={t('training.external.queueTitle')} crumbs={[{ label: t('training.external.queueTitle') }]} />
      <section className="card mb-4">
        <h2 className="mb-2 text-lg">{t('training.external.pendingCount', { count: pending.length })}</h2>
        {pending.length === 0 ? <p>{t('training.external.queueEmpty')}</p> : null}
        <ul className="divide-y divide-slate-200" data-testid="external-pending">
          {pending.map((r) => (
            <RecordLine key={r.id} r={r} />
          ))}
        </ul>
      </section>
      {decided.length ? (
        <section className="card">
          <h2 className="mb-2 text-lg">{t('training.external.recentlyDecided')}</h2>
          <ul className="divide-y divide-slate-200" data-testid="external-decided">
            {decided.map((r) => (
              <RecordLine key={r.id} r={r} />
            ))}
          </ul>
        </section>
      ) : null}
    </>
  )
}
