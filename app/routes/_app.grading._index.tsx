import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { hasPermission } from '#app/modules/auth/policy.ts'
import { requirePermission, scopeFor } from '#app/modules/auth/authz.server.ts'
import { applicantRegionPaths } from '#app/modules/grading/access.server.ts'
import { myApplications } from '#app/modules/grading/applications.server.ts'
import { listRounds } from '#app/modules/grading/rounds.server.ts'
import { windowState } from '#app/modules/grading/rounds.ts'
import { todayInChina } from '#app/lib/time.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'grading.title')

/** Rounds in the user's scope, their own (or their mediators') applications, and the area's links. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'grading:view')
  const db = getDb()
  const manage = scopeFor(user, 'grading:manage')
  const view = scopeFor(user, 'grading:view')
  const applicant = hasPermission(user, 'grading:apply')
  const rounds = await listRounds(db, {
    everything: manage.everything || view.everything,
    orgIds: manage.orgIds,
    regionPaths: view.regionPaths,
    applicantRegionPaths: applicant ? await applicantRegionPaths(user) : [],
  })
  const today = todayInChina()
  return {
    rounds: rounds.map((r) => ({
      ...r,
      applicable:
        applicant &&
        r.status === 'open' &&
        windowState({ applications_open_on: r.opensOn, applications_close_on: r.closesOn }, today) === 'within',
    })),
    applications: applicant ? await myApplications(db, user) : [],
    canManage: hasPermission(user, 'grading:manage'),
    canEnterStats: hasPermission(user, 'grading:case-stats'),
    applicant,
  }
}

export default function GradingIndex() {
  const t = useT()
  const { rounds, applications, canManage, canEnterStats, applicant } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader
        title={t('grading.title')}
        crumbs={[{ label: t('grading.title') }]}
        actions={
          <>
            {canManage ? (
              <>
                <Link to="/grading/rounds/new" className="btn-primary">
                  {t('grading.index.newRound')}
                </Link>
                <Link to="/grading/rules" className="btn-secondary">
                  {t('grading.index.rules')}
                </Link>
              </>
            ) : null}
            {canEnterStats || applicant ? (
              <Link to="/grading/case-stats" className="btn-secondary">
                {t('grading.index.caseStats')}
              </Link>
            ) : null}
          </>
        }
      />
      {applicant ? (
        <section className="card mb-6">
          <h2 className="mb-3 text-lg">{t('grading.index.myApplications')}</h2>
          {applications.length ? (
            <ul className="divide-y" data-testid="my-applications">
              {applications.map((a) => (
                <li key={a.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <span>
                    <Link to={`/grading/applications/${a.id}`} className="font-medium underline">
                      {a.roundTitle}
                    </Link>
                    <span className="ml-2 text-sm text-slate-600">{a.personName}</span>
                  </span>
                  <span className="text-sm">{t(`grading.application.status.${a.status}`)}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-slate-600">{t('grading.index.noApplications')}</p>
          )}
        </section>
      ) : null}
      <section className="card">
        <h2 className="mb-3 text-lg">{t('grading.index.rounds')}</h2>
        {rounds.length ? (
          <ul className="divide-y" data-testid="rounds">
            {rounds.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span className="min-w-0">
                  <Link to={`/grading/rounds/${r.id}`} className="font-medium underline">
                    {r.title}
                  </Link>
                  <span className="block text-sm text-slate-600">
                    {r.associationName} · {t('grading.index.window', { from: t.date(r.opensOn), to: t.date(r.closesOn) })}
                  </span>
                </span>
                <span className="flex items-center gap-2 text-sm">
                  {t(`grading.round.status.${r.status}`)}
                  {r.applicable ? (
                    <Link to={`/grading/rounds/${r.id}/apply`} className="btn-primary">
                      {t('grading.index.apply')}
                    </Link>
                  ) : null}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-600">{t('grading.index.noRounds')}</p>
        )}
      </section>
    </>
  )
}
