import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requirePermission, scopeFor } from '#app/modules/auth/authz.server.ts'
import { loadDrills } from '#app/modules/drills/content.server.ts'
import { flaggedDifferences, gradingQueue } from '#app/modules/drills/grading.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'drills.grading.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'drill:grade')
  const db = getDb()
  const drills = await loadDrills(db)
  const scope = scopeFor(user, 'drill:grade')
  return { queue: await gradingQueue(db, user.userId, drills, scope), flagged: await flaggedDifferences(db, drills, scope) }
}

export default function GradingQueue() {
  const t = useT()
  const { queue, flagged } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader title={t('drills.grading.title')} crumbs={[{ label: t('drills.grading.title') }]} />
      <p className="mb-4 text-slate-700">{t('drills.grading.intro')}</p>
      {queue.length === 0 ? (
        <p className="card">{t('drills.grading.empty')}</p>
      ) : (
        <ul className="space-y-3" data-testid="grading-queue">
          {queue.map((entry) => (
            <li key={entry.attemptId} className="card flex flex-wrap items-center justify-between gap-2">
              <div>
                <Link to={`/drills/grading/${entry.attemptId}`} className="font-medium">
                  {entry.title} {entry.reference}
                </Link>
                <p className="text-sm text-slate-600">
                  {t('drills.grading.submittedAt', { at: t.dateTime(entry.submittedAt) })}
                  {entry.revision ? ` · ${t('drills.revision', { n: entry.revision })}` : ''}
                  {` · ${t('drills.grading.sheets', { finals: entry.finals, graders: entry.graders })}`}
                </p>
              </div>
              <span className="text-sm">{t(`drills.grading.mine.${entry.myStatus ?? 'none'}` as MessageKey)}</span>
            </li>
          ))}
        </ul>
      )}
      {flagged.length ? (
        <section className="card mt-6" aria-labelledby="flagged" data-testid="flagged">
          <h2 id="flagged" className="text-lg">
            {t('drills.grading.flagged')}
          </h2>
          <ul className="mt-2 space-y-1 text-sm">
            {flagged.map((f) => (
              <li key={f.attemptId}>
                {f.title} {f.reference} · {t('drills.grading.flagLine', { score: f.score, difference: f.difference })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  )
}
