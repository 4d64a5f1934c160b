import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { formatHundredths } from '#app/modules/grading/aggregate.ts'
import { reviewerQueue } from '#app/modules/grading/scoring.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'gradingReview.queue.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'grading:review')
  // Only the reviewer's own assignments; the queue carries no applicant identity.
  return { queue: await reviewerQueue(getDb(), user.userId) }
}

export default function ReviewQueue() {
  const t = useT()
  const { queue } = useLoaderData<typeof loader>()
  const open = queue.filter((q) => q.status === 'assigned')
  const done = queue.filter((q) => q.status === 'submitted')
  const item = (q: (typeof queue)[number]) => (
    <li key={q.assignmentId} className="card flex min-w-0 flex-wrap items-center justify-between gap-2" data-testid="review-item">
      <div className="min-w-0">
        <Link to={`/grading/reviews/${q.assignmentId}`} className="font-medium">
          {q.blindCode}
        </Link>
        <p className="break-words text-sm text-slate-600">
          {q.gradeName} · {q.roundTitle}
          {q.reason !== 'initial'
            ? ` · ${t(q.reason === 'discrepancy' ? 'gradingReview.reason.discrepancy' : 'gradingReview.reason.reassigned')}`
            : ''}
        </p>
      </div>
      {q.status === 'submitted' ? (
        <span className="text-sm">{t('gradingReview.queue.total', { total: formatHundredths(q.total ?? 0) })}</span>
      ) : !q.calibrationComplete ? (
        <Link to={`/grading/rounds/${q.roundId}/calibration`} className="btn-secondary">
          {t('gradingReview.queue.calibrateFirst')}
        </Link>
      ) : (
        <Link to={`/grading/reviews/${q.assignmentId}`} className="btn-primary">
          {t('gradingReview.queue.score')}
        </Link>
      )}
    </li>
  )
  return (
    <>
      <PageHeader title={t('gradingReview.queue.title')} crumbs={[{ label: t('gradingReview.queue.title') }]} />
      <p className="mb-4 text-slate-700">{t('gradingReview.queue.hint')}</p>
      {queue.length === 0 ? <p className="card">{t('gradingReview.queue.empty')}</p> : null}
      {open.length ? (
        <section aria-labelledby="open-reviews" className="mb-6">
          <h2 id="open-reviews" className="mb-2 text-lg">
            {t('gradingReview.queue.open')}
          </h2>
          <ul className="space-y-3">{open.map(item)}</ul>
        </section>
      ) : null}
      {done.length ? (
        <section aria-labelledby="done-reviews">
          <h2 id="done-reviews" className="mb-2 text-lg">
            {t('gradingReview.queue.done')}
          </h2>
          <ul className="space-y-3">{done.map(item)}</ul>
        </section>
      ) : null}
    </>
  )
}
