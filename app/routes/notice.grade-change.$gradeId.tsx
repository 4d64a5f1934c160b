import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { gradeChangeNotice } from '#app/modules/grading/history.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'gradingNotice.changeNotice.title')

/** The public notice of a demotion or revocation (no sign-in): who, which grades, why, and the notice period. */
export async function loader({ params }: LoaderFunctionArgs) {
  const notice = await gradeChangeNotice(getDb(), params.gradeId ?? '')
  return data({ notice }, { status: notice ? 200 : 404, headers: { 'Cache-Control': 'no-store' } })
}

export default function GradeChangeNotice() {
  const t = useT()
  const { notice: n } = useLoaderData<typeof loader>()
  return (
    <main className="mx-auto max-w-2xl px-4 py-8">
      <h1 className="mb-4 text-2xl">{t('gradingNotice.changeNotice.title')}</h1>
      {n ? (
        <div className="card space-y-3" data-testid="grade-change-notice">
          <p>
            {n.kind === 'demoted'
              ? t('gradingNotice.changeNotice.demoted', {
                  association: n.associationName,
                  name: n.name,
                  org: n.orgName ?? '',
                  from: n.fromGrade,
                  to: n.toGrade ?? '',
                })
              : t('gradingNotice.changeNotice.revoked', {
                  association: n.associationName,
                  name: n.name,
                  org: n.orgName ?? '',
                  from: n.fromGrade,
                })}
          </p>
          <p>
            <span className="font-semibold">{t('gradingNotice.changeNotice.reason')}：</span>
            <span className="whitespace-pre-wrap">{n.reason}</span>
          </p>
          <p className="font-semibold">
            {t('gradingNotice.changeNotice.period', { start: t.date(n.noticeStartOn), end: t.date(n.noticeEndOn) })}
          </p>
          <p className="text-slate-700">{t('gradingNotice.changeNotice.contact', { association: n.associationName })}</p>
        </div>
      ) : (
        <p className="card">{t('gradingNotice.changeNotice.notFound')}</p>
      )}
    </main>
  )
}
