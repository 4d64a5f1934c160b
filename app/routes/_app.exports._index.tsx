import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { forbidden } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requireUser } from '#app/modules/auth/authz.server.ts'
import { jobView, mayExport } from '#app/modules/jobs/jobs.server.ts'
import { isOpen } from '#app/modules/jobs/kinds.ts'
import { recentJobs } from '#app/modules/jobs/store.server.ts'
import { AutoRefresh, JobProgress, statusKey } from '#app/modules/jobs/ui.tsx'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'jobs.title')

/** The user's own recent exports (nobody else's), for users who may export something. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  if (!mayExport(user)) forbidden()
  const jobs = (await recentJobs(getDb(), user.userId)).map(jobView)
  return { jobs }
}

export default function Exports() {
  const t = useT()
  const { jobs } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader title={t('jobs.title')} crumbs={[{ label: t('jobs.title') }]} />
      <p className="mb-4 text-slate-700">{t('jobs.intro')}</p>
      <AutoRefresh active={jobs.some((j) => isOpen(j.status))} />
      {jobs.length === 0 ? (
        <p className="card">{t('jobs.empty')}</p>
      ) : (
        <ul className="flex flex-col gap-3" aria-label={t('jobs.recent')} data-testid="job-list">
          {jobs.map((job) => (
            <li key={job.id} className="card flex flex-col gap-2">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <Link to={`/exports/${job.id}`} className="font-semibold">
                  {t(job.titleKey)}
                  {job.full ? `（${t('jobs.full')}）` : ''}
                </Link>
                <span className="text-sm">{t(statusKey(job))}</span>
              </div>
              <p className="text-sm text-slate-600">{t('jobs.createdAt', { at: t.dateTime(job.createdAt) })}</p>
              {isOpen(job.status) ? <JobProgress job={job} /> : null}
              {job.status === 'done' && job.fileName ? (
                <a href={`/exports/${job.id}/download`} className="break-all" download>
                  {t('jobs.download', { name: job.fileName })}
                </a>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </>
  )
}
