import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requirePermission, scopeFor } from '#app/modules/auth/authz.server.ts'
import { formatLabel, kindLabel } from '#app/modules/training/labels.ts'
import { listSessions } from '#app/modules/training/sessions.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'training.session.listTitle')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'training:manage')
  return { sessions: await listSessions(getDb(), scopeFor(user, 'training:manage')) }
}

export default function TrainingSessions() {
  const t = useT()
  const { sessions } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader
        title={t('training.session.listTitle')}
        crumbs={[{ label: t('training.session.listTitle') }]}
        actions={
          <Link to="/training/sessions/new" className="btn-primary">
            {t('training.session.new')}
          </Link>
        }
      />
      {sessions.length === 0 ? <p className="card">{t('training.session.empty')}</p> : null}
      <ul className="space-y-3" data-testid="session-list">
        {sessions.map((s) => (
          <li key={s.id} className="card">
            <Link to={`/training/sessions/${s.id}`} className="font-medium">
              {s.title}
            </Link>
            <p className="text-sm text-slate-600">
              {t(kindLabel(s.kind))} · {t(formatLabel(s.format))} · {s.organiser} · {t.date(s.startDate)}–{t.date(s.endDate)} ·{' '}
              {t('training.catalogue.hours', { hours: s.hours })} · {t('training.session.attendeeCount', { count: s.attendees })}
            </p>
          </li>
        ))}
      </ul>
    </>
  )
}
