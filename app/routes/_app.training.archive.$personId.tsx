import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { isId } from '#app/lib/ids.ts'
import { recordTitle } from '#app/lib/meta.ts'
import { may, requirePermission, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import { getPerson } from '#app/modules/people/people.server.ts'
import { archiveWithDrills, listArchive, trainingEvidence } from '#app/modules/training/archive.server.ts'
import { kindLabel, recordStatusLabel, sourceLabel } from '#app/modules/training/labels.ts'
import printCss from '#app/modules/training/print.css?url'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: printCss }]

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => (data ? recordTitle(matches, data.person.name) : [])

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'training:view')
  if (params.personId === 'me') {
    if (!user.personId) notFound()
    throw redirect(`/training/archive/${user.personId}`)
  }
  const id = params.personId
  if (!isId(id)) notFound()
  const db = getDb()
  const found = await getPerson(db, id)
  if (!found) notFound()
  await requireRecordAccess(request, user, 'training:view', { type: 'training_archive', id, ...found.scope })
  const [records, { years, drills }, evidence] = await Promise.all([
    listArchive(db, id),
    archiveWithDrills(db, id),
    trainingEvidence(db, id),
  ])
  return {
    person: { id, name: found.profile.name, orgName: found.profile.orgName },
    records,
    years,
    drills,
    preServiceDone: evidence.preServiceDone,
    // Only the mediator themself claims external training (reviewers decide it from the record page).
    canClaim: user.personId === id && may(user, 'training:learn', { personId: id }),
  }
}

export default function TrainingArchive() {
  const t = useT()
  const { person, records, years, drills, preServiceDone, canClaim } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader
        title={t('training.archive.titleOf', { name: person.name })}
        crumbs={[{ label: t('training.archive.title') }]}
        actions={
          <>
            {canClaim ? (
              <Link to="/training/external/new" className="btn-primary no-print">
                {t('training.external.new')}
              </Link>
            ) : null}
            <button type="button" className="btn-secondary no-print" onClick={() => window.print()}>
              {t('training.archive.print')}
            </button>
            <a href={`/training/archive/${person.id}.xlsx`} className="btn-secondary no-print" download>
              {t('training.archive.export')}
            </a>
          </>
        }
      />
      <div className="card mb-4">
        <p className="mb-2">
          {person.orgName ? `${person.orgName} · ` : ''}
          {t('training.archive.preService', {
            status: t(preServiceDone ? 'training.archive.preServiceDone' : 'training.archive.preServiceMissing'),
          })}
        </p>
        <h2 className="mb-2 text-lg">{t('training.archive.hoursByYear')}</h2>
        {years.length ? (
          <table className="w-full max-w-sm text-left" data-testid="hours-by-year">
            <thead>
              <tr>
                <th className="py-1">{t('training.archive.year')}</th>
                <th className="py-1">{t('training.archive.hours')}</th>
              </tr>
            </thead>
            <tbody>
              {years.map((y) => (
                <tr key={y.year}>
                  <td className="py-1">{y.year}</td>
                  <td className="py-1">{y.hours}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>{t('training.archive.empty')}</p>
        )}
        {drills.some((d) => d.creditHours > 0) ? (
          <p className="mt-2 text-sm text-slate-600">{t('training.archive.drillHoursNote')}</p>
        ) : null}
      </div>
      <section className="card">
        <h2 className="mb-2 text-lg">{t('training.archive.records')}</h2>
        {records.length === 0 ? <p>{t('training.archive.empty')}</p> : null}
        <ul className="divide-y divide-slate-200" data-testid="archive-records">
          {records.map((r) => (
            <li key={r.id} className="flex flex-col gap-1 py-3 sm:flex-row sm:items-center sm:justify-between">
              <div>
                <p className="font-medium">
                  {r.source === 'external' ? <Link to={`/training/external/${r.id}`}>{r.title}</Link> : r.title}
                </p>
                <p className="text-sm text-slate-600">
                  {t(kindLabel(r.kind))} · {t(sourceLabel(r.source))} · {t.date(r.completedOn)} · {t(recordStatusLabel(r.status))}
                </p>
              </div>
              <div className="flex items-center gap-3">
                <span className="font-medium">{t('training.catalogue.hours', { hours: r.hours })}</span>
                {r.certificateNumber ? (
                  <Link to={`/training/certificates/${r.certificateNumber}`} className="text-sm">
                    {r.certificateNumber}
                  </Link>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      </section>
      <section className="card mt-4">
        <h2 className="mb-2 text-lg">{t('training.archive.drills')}</h2>
        {drills.length === 0 ? <p>{t('training.archive.drillsEmpty')}</p> : null}
        <ul className="divide-y divide-slate-200" data-testid="archive-drills">
          {drills.map((d) => (
            <li key={d.slug} className="flex flex-col gap-1 py-3 sm:flex-row sm:items-center sm:justify-between">
              <div>
                <p className="font-medium">{d.title}</p>
                <p className="text-sm text-slate-600">
                  {t.date(d.completedOn)} · {t('training.archive.drillScore', { score: d.best })} ·{' '}
                  {t(d.passed ? 'training.archive.drillPassed' : 'training.archive.drillNotPassed')}
                </p>
              </div>
              {d.creditHours > 0 ? <span className="font-medium">{t('training.catalogue.hours', { hours: d.creditHours })}</span> : null}
            </li>
          ))}
        </ul>
      </section>
    </>
  )
}
