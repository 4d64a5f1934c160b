import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { may } from '#app/modules/auth/authz.server.ts'
import { formatHundredths } from '#app/modules/grading/aggregate.ts'
import { statusLabel } from '#app/modules/grading/notice.ts'
import { roundResults } from '#app/modules/grading/results-export.server.ts'
import { requireRoundAccess } from '#app/modules/grading/round-scope.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'gradingNotice.results.title')

/** Rounds whose ranking exists (G2's rankRound runs at scoring → notice). */
const RANKED_STATUSES = ['notice', 'resolved', 'finalised']

/**
 * A round's ranking per grade (score, rank, result, reason), for the association and bureau staff
 * whose grading:view reaches the association. ID numbers are shown masked only.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb()
  const { user, loaded } = await requireRoundAccess(request, db, 'grading:view', params.roundId)
  const ranked = RANKED_STATUSES.includes(loaded.round.status)
  const groups = ranked ? await roundResults(db, loaded) : []
  return {
    round: { id: loaded.round.id, title: loaded.round.title, association: loaded.associationName },
    ranked,
    canManage: may(user, 'grading:manage', loaded.scope),
    groups: groups.map((g) => ({
      gradeCode: g.gradeCode,
      gradeName: g.gradeName,
      rows: g.rows.map((r) => ({
        id: r.applicationId,
        name: r.name,
        orgName: r.orgName,
        idNumber: r.idNumberMasked,
        score: r.finalScore === null ? null : formatHundredths(r.finalScore),
        rank: r.rank,
        status: r.status,
        reason: r.outcomeReason,
      })),
    })),
  }
}

export default function RoundResults() {
  const t = useT()
  const { round, ranked, canManage, groups } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader
        title={t('gradingNotice.results.title')}
        crumbs={[{ label: round.title, to: `/grading/rounds/${round.id}` }, { label: t('gradingNotice.results.title') }]}
        actions={
          <>
            {canManage ? (
              <Link to={`/grading/rounds/${round.id}/objections`} className="btn-secondary">
                {t('gradingNotice.results.objections')}
              </Link>
            ) : null}
            {ranked ? (
              <a href={`/grading/rounds/${round.id}/results.xlsx`} className="btn-secondary" download>
                {t('gradingNotice.results.export')}
              </a>
            ) : null}
          </>
        }
      />
      {!ranked ? <p className="card">{t('gradingNotice.results.notYet')}</p> : null}
      {groups.map((g) => (
        <section key={g.gradeCode} className="mb-6">
          <h2 className="mb-2 text-lg font-semibold">{g.gradeName}</h2>
          <div className="card overflow-x-auto p-0 sm:p-0">
            <table className="w-full border-collapse text-left text-sm sm:text-base" data-testid={`results-${g.gradeCode}`}>
              <caption className="sr-only">{g.gradeName}</caption>
              <thead className="sticky top-0 bg-slate-100 text-slate-700">
                <tr>
                  <th className="px-3 py-2">{t('gradingNotice.results.rank')}</th>
                  <th className="px-3 py-2">{t('gradingNotice.results.name')}</th>
                  <th className="px-3 py-2">{t('gradingNotice.results.idNumber')}</th>
                  <th className="px-3 py-2">{t('gradingNotice.results.org')}</th>
                  <th className="px-3 py-2 text-right">{t('gradingNotice.results.score')}</th>
                  <th className="px-3 py-2">{t('gradingNotice.results.status')}</th>
                  <th className="px-3 py-2">{t('gradingNotice.results.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {g.rows.map((r) => (
                  <tr key={r.id} className="border-t border-slate-200">
                    <td className="px-3 py-2">{r.rank ?? '—'}</td>
                    <td className="px-3 py-2">{r.name}</td>
                    <td className="px-3 py-2 font-mono">{r.idNumber ?? ''}</td>
                    <td className="px-3 py-2">{r.orgName}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{r.score ?? '—'}</td>
                    <td className="px-3 py-2">{t(statusLabel(r.status))}</td>
                    <td className="px-3 py-2">{r.reason ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="px-3 py-2 text-sm text-slate-600">{t('table.total', { count: g.rows.length })}</p>
          </div>
        </section>
      ))}
    </>
  )
}
