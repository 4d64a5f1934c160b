import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import type { MessageKey } from '#app/lib/i18n.ts'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requirePermission, requireUser, scopeFor } from '#app/modules/auth/authz.server.ts'
import { hasPermission } from '#app/modules/auth/policy.ts'
import { mySubmissions, reviewQueue, type Submission } from '#app/modules/library/submissions.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'library.submissions.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const canSubmit = hasPermission(user, 'library:submit')
  const canReview = hasPermission(user, 'library:review')
  // Neither writer nor reviewer: refused (and logged) by the authorization module.
  if (!canSubmit && !canReview) await requirePermission(request, 'library:review')
  const db = getDb()
  const row = (s: Submission) => ({
    id: s.id,
    title: s.input.title,
    status: s.status,
    revision: s.revision,
    authorName: s.authorName,
    orgName: s.orgName,
    updatedAt: s.updatedAt,
    submittedAt: s.submittedAt,
  })
  return {
    canSubmit,
    canReview,
    mine: canSubmit && user.personId ? (await mySubmissions(db, user.personId)).map(row) : [],
    queue: canReview ? (await reviewQueue(db, scopeFor(user, 'library:review'))).map(row) : [],
  }
}

type Row = Awaited<ReturnType<typeof loader>>['mine'][number]

function Rows({ rows, showAuthor }: { rows: Row[]; showAuthor?: boolean }) {
  const t = useT()
  if (!rows.length) return <p className="text-sm text-slate-600">{t('table.empty')}</p>
  return (
    <ul className="divide-y divide-slate-200">
      {rows.map((r) => (
        <li key={r.id} className="py-2">
          <Link to={`/library/submissions/${r.id}`} className="font-medium">
            {r.title}
          </Link>
          <p className="text-xs text-slate-600">
            {t(`library.status.${r.status}` as MessageKey)}
            {r.revision ? ` · ${t('library.revision', { n: r.revision })}` : ''}
            {showAuthor ? ` · ${r.authorName}${r.orgName ? `（${r.orgName}）` : ''}` : ''} · {t.dateTime(r.submittedAt ?? r.updatedAt)}
          </p>
        </li>
      ))}
    </ul>
  )
}

export default function LibrarySubmissions() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader
        title={t('library.submissions.title')}
        crumbs={[{ label: t('library.title'), to: '/library' }, { label: t('library.submissions.title') }]}
        actions={
          <>
            {data.canSubmit ? (
              <Link to="/library/submissions/new" className="btn-primary">
                {t('library.submit.new')}
              </Link>
            ) : null}
            {/* The review queue as .xlsx (stats module, audited). */}
            {data.canReview ? (
              <a href="/library/submissions.xlsx" className="btn-secondary" download>
                {t('stats.exportList')}
              </a>
            ) : null}
          </>
        }
      />
      <div className="space-y-4">
        {data.canReview ? (
          <section className="card" data-testid="review-queue">
            <h2 className="text-lg font-semibold">{t('library.submissions.review')}</h2>
            <Rows rows={data.queue} showAuthor />
          </section>
        ) : null}
        {data.canSubmit ? (
          <section className="card" data-testid="my-submissions">
            <h2 className="text-lg font-semibold">{t('library.submissions.mine')}</h2>
            <Rows rows={data.mine} />
          </section>
        ) : null}
      </div>
    </>
  )
}
