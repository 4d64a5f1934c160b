import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { forbidden } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { myConsultations } from '#app/modules/cases/expert-view.server.ts'
import { consultationStatusLabel, difficultyLabel, modeLabel } from '#app/modules/cases/model.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'cases.me.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'consultation:respond')
  if (!user.personId) forbidden()
  return { consultations: await myConsultations(getDb(), user.personId) }
}

export default function MyConsultations() {
  const t = useT()
  const { consultations } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader title={t('cases.me.title')} crumbs={[{ label: t('cases.me.title') }]} />
      {consultations.length === 0 ? <p className="card">{t('cases.me.empty')}</p> : null}
      <ul className="space-y-3" data-testid="my-consultations">
        {consultations.map((c) => (
          <li key={c.id} className="card">
            <Link to={`/me/consultations/${c.id}`} className="font-medium">
              {c.title}
            </Link>
            <p className="text-sm text-slate-600">
              {c.case_number} · {t(consultationStatusLabel(c.status))} · {t(modeLabel(c.mode))} · {t(difficultyLabel(c.difficulty))} ·{' '}
              {t('cases.due', { date: t.date(c.deadline) })}
            </p>
          </li>
        ))}
      </ul>
    </>
  )
}
