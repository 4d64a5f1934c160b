import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { todayInChina } from '#app/lib/time.ts'
import { isPublicRound, objectionWindowOpen, statusLabel } from '#app/modules/grading/notice.ts'
import { noticeEntries } from '#app/modules/grading/objections.server.ts'
import { loadRound } from '#app/modules/grading/round-scope.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'gradingNotice.public.title')

/**
 * The public 公示 page of a round (no sign-in): association, round, notice period, who is proposed
 * for which grade (name and organisation only: no ID numbers, scores or ranks) and how to object.
 * Rounds that never reached notice answer 404, like unknown ones.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const db = getDb()
  const loaded = await loadRound(db, params.roundId ?? '')
  if (!loaded || !isPublicRound(loaded.round)) {
    return data({ notice: null }, { status: 404, headers: { 'Cache-Control': 'no-store' } })
  }
  const { round } = loaded
  const entries = await noticeEntries(db, loaded)
  return data(
    {
      notice: {
        roundId: round.id,
        title: round.title,
        association: loaded.associationName,
        finalised: round.status === 'finalised',
        start: round.notice_start_on!,
        end: round.notice_end_on!,
        open: objectionWindowOpen(round, todayInChina()),
        entries: entries.map((e) => ({ id: e.applicationId, name: e.name, orgName: e.orgName, gradeName: e.gradeName, status: e.status })),
      },
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

export default function PublicNotice() {
  const t = useT()
  const { notice } = useLoaderData<typeof loader>()
  if (!notice) {
    return (
      <main className="mx-auto max-w-3xl px-4 py-8">
        <h1 className="mb-4 text-2xl">{t('gradingNotice.public.title')}</h1>
        <p className="card">{t('gradingNotice.public.notFound')}</p>
      </main>
    )
  }
  return (
    <main className="mx-auto max-w-3xl px-4 py-8">
      <h1 className="mb-2 text-2xl">{t('gradingNotice.public.title')}</h1>
      <p className="mb-4 text-lg" data-testid="notice-heading">
        {t('gradingNotice.public.heading', { association: notice.association, round: notice.title })}
      </p>
      <p className="mb-2">{notice.finalised ? t('gradingNotice.public.finalIntro') : t('gradingNotice.public.intro')}</p>
      <p className="mb-4 font-semibold" data-testid="notice-period">
        {t('gradingNotice.public.period', { start: t.date(notice.start), end: t.date(notice.end) })}
      </p>
      {notice.entries.length ? (
        <div className="card overflow-x-auto p-0 sm:p-0">
          <table className="w-full border-collapse text-left" data-testid="notice-list">
            <caption className="sr-only">{t('gradingNotice.public.count', { count: notice.entries.length })}</caption>
            <thead className="bg-slate-100 text-slate-700">
              <tr>
                <th className="px-3 py-2">{t('gradingNotice.public.grade')}</th>
                <th className="px-3 py-2">{t('gradingNotice.public.name')}</th>
                <th className="px-3 py-2">{t('gradingNotice.public.org')}</th>
                {notice.finalised ? <th className="px-3 py-2">{t('gradingNotice.public.result')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {notice.entries.map((e) => (
                <tr key={e.id} className="border-t border-slate-200">
                  <td className="px-3 py-2">{e.gradeName}</td>
                  <td className="px-3 py-2">{e.name}</td>
                  <td className="px-3 py-2">{e.orgName}</td>
                  {notice.finalised ? <td className="px-3 py-2">{t(statusLabel(e.status))}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
          <p className="px-3 py-2 text-sm text-slate-600">{t('gradingNotice.public.count', { count: notice.entries.length })}</p>
        </div>
      ) : (
        <p className="card">{t('gradingNotice.public.none')}</p>
      )}
      {notice.finalised ? null : (
        <section className="card mt-4 space-y-3">
          <p>{t('gradingNotice.public.howToObject')}</p>
          {notice.open ? (
            <Link to={`/notice/${notice.roundId}/object`} className="btn-primary inline-block">
              {t('gradingNotice.public.objectLink')}
            </Link>
          ) : (
            <p className="text-slate-700">{t('gradingNotice.public.closed')}</p>
          )}
        </section>
      )}
    </main>
  )
}
