import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requireUser } from '#app/modules/auth/authz.server.ts'
import { jobView } from '#app/modules/jobs/jobs.server.ts'
import { isOpen } from '#app/modules/jobs/kinds.ts'
import { ownJob, requestCancel } from '#app/modules/jobs/store.server.ts'
import { AutoRefresh, JobProgress, statusKey } from '#app/modules/jobs/ui.tsx'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'jobs.title')

/** One of the user's own exports: anyone else's answers 404, as if it did not exist. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const job = await ownJob(getDb(), user.userId, params.jobId ?? '')
  if (!job) notFound()
  return { job: jobView(job) }
}

/** Cancel (the only action): a queued job stops at once, a running one at its next batch. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const jobId = params.jobId ?? ''
  if (!(await ownJob(getDb(), user.userId, jobId))) notFound()
  const form = await request.formData()
  if (form.get('intent') !== 'cancel') return redirectWithFlash(`/exports/${jobId}`, { kind: 'error', message: 'validation.invalid' })
  const cancelled = await requestCancel(getDb(), user.userId, jobId)
  if (!cancelled) return redirectWithFlash(`/exports/${jobId}`, { kind: 'error', message: 'jobs.cancel.gone' })
  return redirectWithFlash(`/exports/${jobId}`, { kind: 'info', message: 'jobs.status.cancelling' })
}

export default function ExportJob() {
  const t = useT()
  const { job } = useLoaderData<typeof loader>()
  const open = isOpen(job.status)
  const title = `${t(job.titleKey)}${job.full ? `（${t('jobs.full')}）` : ''}`
  return (
    <>
      <PageHeader title={title} crumbs={[{ label: t('jobs.title'), to: '/exports' }, { label: title }]} />
      <AutoRefresh active={open} />
      <section className="card flex flex-col gap-3" aria-live="polite">
        <p>
          <span className="font-semibold" data-testid="job-status">
            {t(statusKey(job))}
          </span>
          <span className="ml-3 text-sm text-slate-600">{t('jobs.createdAt', { at: t.dateTime(job.createdAt) })}</span>
        </p>
        {open ? (
          <>
            <JobProgress job={job} />
            <p className="text-sm text-slate-600">{t('jobs.progress.auto')}</p>
            <div className="flex flex-wrap gap-2">
              <Link to="." className="btn-secondary" reloadDocument>
                {t('jobs.refresh')}
              </Link>
              {job.cancelRequested ? null : (
                <Form method="post">
                  <button type="submit" name="intent" value="cancel" className="btn-secondary" data-testid="job-cancel">
                    {t('jobs.cancel')}
                  </button>
                </Form>
              )}
            </div>
          </>
        ) : null}
        {job.status === 'done' && job.fileName ? (
          <div className="flex flex-col gap-1">
            <a href={`/exports/${job.id}/download`} className="btn-primary self-start break-all" download data-testid="job-download">
              {t('jobs.download', { name: job.fileName })}
            </a>
            <p className="text-sm text-slate-600">
              {t('jobs.progress', { done: t.number(job.done), total: t.number(job.total ?? job.done) })}
              {job.fileSize !== null ? ` · ${t('jobs.size', { size: t.number(Math.max(1, Math.round(job.fileSize / 1024))) })}` : ''}
              {job.expiresAt ? ` · ${t('jobs.expires', { at: t.dateTime(job.expiresAt) })}` : ''}
            </p>
          </div>
        ) : null}
        {job.status === 'cancelled' ? <p>{t('jobs.cancelled')}</p> : null}
        {job.status === 'expired' ? <p>{t('jobs.expired')}</p> : null}
        {job.status === 'failed' && job.error ? (
          <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-800">
            {t(`jobs.error.${job.error}`)}
          </p>
        ) : null}
        <p className="flex flex-wrap gap-4">
          <Link to={job.listPath}>{t('jobs.back')}</Link>
          <Link to="/exports">{t('jobs.allExports')}</Link>
        </p>
      </section>
    </>
  )
}
