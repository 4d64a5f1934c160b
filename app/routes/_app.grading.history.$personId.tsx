import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { recordTitle } from '#app/lib/meta.ts'
import { may, requirePermission, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import { currentGrade, gradeHistory, historyPerson } from '#app/modules/grading/history.server.ts'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => (data ? recordTitle(matches, data.person.name) : [])

/**
 * A mediator's grade history: every award, supersession, demotion and revocation with its reason,
 * notice and certificates. The mediator themself (/grading/history/me), their organisation's
 * manager, and bureau staff and association admins whose region reaches them.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'grading:view')
  if (params.personId === 'me') {
    if (!user.personId) notFound()
    throw redirect(`/grading/history/${user.personId}`)
  }
  const db = getDb()
  const person = await historyPerson(db, params.personId ?? '')
  if (!person) notFound()
  await requireRecordAccess(request, user, 'grading:view', { type: 'grade_history', id: person.personId, ...person.scope })
  const [current, history] = await Promise.all([currentGrade(db, person.personId), gradeHistory(db, person.personId)])
  return {
    person: { id: person.personId, name: person.name, orgName: person.orgName },
    current,
    history,
    canManage: may(user, 'grading:manage', current ? { orgId: current.associationOrgId } : undefined),
  }
}

export default function GradeHistoryPage() {
  const t = useT()
  const { person, current, history, canManage } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader title={t('gradingNotice.history.titleOf', { name: person.name })} />
      <section className="card mb-4" data-testid="current-grade">
        <h2 className="mb-2 text-lg font-semibold">{t('gradingNotice.history.current')}</h2>
        {current ? (
          <p className="flex flex-wrap items-center gap-3">
            <span className="text-xl font-semibold">{current.name}</span>
            <span className="text-slate-700">
              {t('gradingNotice.history.validity')}：
              {t('gradingNotice.verify.validityRange', { from: t.date(current.validFrom), until: t.date(current.validUntil) })}
            </span>
            {canManage ? (
              <Link to={`/grading/grades/${current.gradeId}`} className="btn-secondary">
                {t('gradingNotice.grades.manage')}
              </Link>
            ) : null}
          </p>
        ) : (
          <p>{t('gradingNotice.history.noCurrent')}</p>
        )}
      </section>
      <h2 className="mb-2 text-lg font-semibold">{t('gradingNotice.history.title')}</h2>
      {history.length ? (
        <ol className="space-y-3" data-testid="grade-history">
          {history.map((h) => (
            <li key={h.id} className="card space-y-1">
              <p className="flex flex-wrap items-baseline gap-2">
                <span className="text-lg font-semibold">{h.gradeName}</span>
                <span className={h.status === 'current' ? 'font-semibold text-emerald-700' : 'text-slate-700'}>
                  {t(`gradingNotice.history.status.${h.status}`)}
                </span>
              </p>
              <p className="text-sm text-slate-700">
                {t('gradingNotice.history.association')}：{h.associationName} · {t('gradingNotice.history.validity')}：
                {t('gradingNotice.verify.validityRange', { from: t.date(h.validFrom), until: t.date(h.validUntil) })}
              </p>
              <p className="text-sm text-slate-700">
                {t('gradingNotice.history.source')}：
                {h.source === 'round'
                  ? t('gradingNotice.history.source.round', { round: h.roundTitle ?? '' })
                  : t(`gradingNotice.history.source.${h.source}`)}
              </p>
              {h.changeReason && h.status !== 'current' ? (
                <p className="text-sm">
                  {t('gradingNotice.history.change')}：{h.changeReason}
                  {h.changedAt ? `（${t.dateTime(h.changedAt)}）` : null}
                </p>
              ) : null}
              {h.noticeStartOn && h.noticeEndOn ? (
                <p className="text-sm">
                  <Link to={`/notice/grade-change/${h.id}`}>
                    {t('gradingNotice.history.notice')}：{t.date(h.noticeStartOn)} – {t.date(h.noticeEndOn)}
                  </Link>
                </p>
              ) : null}
              {h.certificates.length ? (
                <p className="text-sm">
                  {t('gradingNotice.history.certificates')}：
                  {h.certificates.map((c) => (
                    <span key={c.number} className="mr-2">
                      <Link to={`/grading/certificates/${c.number}`} className="font-mono">
                        {c.number}
                      </Link>
                      {c.status === 'revoked' ? t('gradingNotice.history.certRevoked') : null}
                    </span>
                  ))}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="card">{t('gradingNotice.history.none')}</p>
      )}
    </>
  )
}
