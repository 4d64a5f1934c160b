import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { recordTitle } from '#app/lib/meta.ts'
import { todayInChina } from '#app/lib/time.ts'
import { may } from '#app/modules/auth/authz.server.ts'
import { requireRound } from '#app/modules/grading/access.server.ts'
import { roundApplications, scoresVisible } from '#app/modules/grading/applications.server.ts'
import { roundConfig, roundEvents, transitionRound } from '#app/modules/grading/rounds.server.ts'
import { allowedTransitions, windowState } from '#app/modules/grading/rounds.ts'
import { transitionSchema } from '#app/modules/grading/schemas.ts'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => recordTitle(matches, data?.round.title ?? '')

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, round, access } = await requireRound(request, params.roundId)
  const db = getDb()
  const [{ config, versionNo }, events, all] = await Promise.all([
    roundConfig(db, round),
    roundEvents(db, round.id),
    roundApplications(db, round.id),
  ])
  // The applicant side sees only its own applications, and no score or rank before finalisation.
  const rows = access === 'applicant' ? all.filter((a) => may(user, 'grading:apply', { personId: a.personId, orgId: a.orgId })) : all
  const showScores = scoresVisible(access, round)
  const gradeName = (code: string) => config.grades.find((g) => g.code === code)?.name ?? code
  const today = todayInChina()
  return {
    access,
    round: {
      id: round.id,
      title: round.title,
      status: round.status,
      version: Number(round.version),
      associationName: round.associationName,
      opensOn: round.applications_open_on,
      closesOn: round.applications_close_on,
      noticeStartOn: round.notice_start_on,
      noticeEndOn: round.notice_end_on,
      grades: round.gradeCodes.map((code) => ({ code, name: gradeName(code), quota: round.quotaMap[code] ?? null })),
      versionNo,
      committee: JSON.parse(round.committee || '[]') as { name: string; affiliation: string; kind: string }[],
    },
    canApply: access === 'applicant' && round.status === 'open' && windowState(round, today) === 'within',
    transitions: access === 'manage' ? allowedTransitions(round.status) : [],
    events,
    applications: rows.map((a) => ({
      id: a.id,
      blindCode: a.blindCode,
      // Names for the association and viewers; the applicant side sees its own people anyway.
      name: a.personName,
      orgName: a.orgName,
      grade: gradeName(a.gradeCode),
      status: a.status,
      eligible: a.overrideVerdict ? a.overrideVerdict === 'eligible' : a.eligibleAuto,
      overridden: !!a.overrideVerdict,
      score: showScores ? a.finalScore : null,
      rank: showScores ? a.rankInGrade : null,
    })),
  }
}

type ActionData =
  | { confirm: { to: string; version: number; note: string; noticeStartOn: string } }
  | { error: string; stale?: boolean }
  | SubmissionResult<string[]>

/** A transition: the first post asks for confirmation; the confirmed post acts (version-guarded). */
export async function action({ request, params }: ActionFunctionArgs) {
  const { user, round } = await requireRound(request, params.roundId, ['manage'])
  const submission = parseWithZod(await request.formData(), { schema: transitionSchema })
  if (submission.status !== 'success') return data<ActionData>(submission.reply(), { status: 400 })
  const v = submission.value
  if (v.confirmed !== 'yes') {
    return data<ActionData>({ confirm: { to: v.to, version: v.version, note: v.note ?? '', noticeStartOn: v.noticeStartOn ?? '' } })
  }
  const outcome = await transitionRound(getDb(), request, user, {
    roundId: round.id,
    to: v.to,
    version: v.version,
    note: v.note || null,
    noticeStartOn: v.noticeStartOn ?? null,
    today: todayInChina(),
  })
  if (!outcome.ok) return data<ActionData>({ error: outcome.error, stale: outcome.stale }, { status: outcome.stale ? 409 : 400 })
  return redirectWithFlash(`/grading/rounds/${round.id}`, {
    kind: 'success',
    message: 'grading.round.transitioned',
  })
}

export default function RoundPage() {
  const t = useT()
  const { round, access, transitions, events, applications, canApply } = useLoaderData<typeof loader>()
  const result = useActionData<ActionData>()
  const confirm = result && 'confirm' in result ? result.confirm : null
  const error = result && 'error' in result && typeof result.error === 'string' ? result.error : null
  const statusLabel = (s: string) => t(`grading.round.status.${s}` as 'grading.round.status.draft')
  return (
    <>
      <PageHeader
        title={round.title}
        crumbs={[{ label: t('grading.title'), to: '/grading' }, { label: round.title }]}
        actions={
          canApply ? (
            <Link to={`/grading/rounds/${round.id}/apply`} className="btn-primary">
              {t('grading.round.apply')}
            </Link>
          ) : null
        }
      />
      <div className="grid gap-4 md:grid-cols-3">
        <section className="card md:col-span-2">
          <dl className="grid gap-2 text-sm sm:grid-cols-2">
            <div>
              <dt className="text-slate-600">{t('grading.round.status')}</dt>
              <dd className="font-semibold" data-testid="round-status">
                {statusLabel(round.status)}
              </dd>
            </div>
            <div>
              <dt className="text-slate-600">{t('grading.round.association')}</dt>
              <dd>{round.associationName}</dd>
            </div>
            <div>
              <dt className="text-slate-600">{t('grading.round.window')}</dt>
              <dd>
                {t.date(round.opensOn)} – {t.date(round.closesOn)}
              </dd>
            </div>
            <div>
              <dt className="text-slate-600">{t('grading.round.notice')}</dt>
              <dd>{round.noticeStartOn ? `${t.date(round.noticeStartOn)} – ${t.date(round.noticeEndOn)}` : '—'}</dd>
            </div>
            <div>
              <dt className="text-slate-600">{t('grading.round.grades')}</dt>
              <dd>{round.grades.map((g) => (g.quota ? `${g.name}（${g.quota}）` : g.name)).join('、')}</dd>
            </div>
            <div>
              <dt className="text-slate-600">{t('grading.index.rules')}</dt>
              <dd>{t('grading.round.configVersion', { n: round.versionNo })}</dd>
            </div>
          </dl>
          {access !== 'applicant' ? (
            <nav className="mt-4 flex flex-wrap gap-2 text-sm">
              <Link className="btn-secondary" to={`/grading/rounds/${round.id}/panel`}>
                {t('grading.round.links.panel')}
              </Link>
              <Link className="btn-secondary" to={`/grading/rounds/${round.id}/objections`}>
                {t('grading.round.links.objections')}
              </Link>
              <Link className="btn-secondary" to={`/grading/rounds/${round.id}/results`}>
                {t('grading.round.links.results')}
              </Link>
            </nav>
          ) : null}
        </section>

        {access === 'manage' ? (
          <section className="card" data-testid="transitions">
            <h2 className="mb-2 text-lg">{t('grading.round.transition')}</h2>
            <FormErrors errors={error ? [error] : undefined} />
            {confirm ? (
              <Form method="post" className="grid gap-2" data-testid="confirm-transition">
                <p className="font-semibold">{t('grading.round.confirmTitle', { status: statusLabel(confirm.to) })}</p>
                <p className="text-sm text-slate-600">{t('grading.round.confirmHint')}</p>
                <input type="hidden" name="to" value={confirm.to} />
                <input type="hidden" name="version" value={confirm.version} />
                <input type="hidden" name="note" value={confirm.note} />
                {confirm.noticeStartOn ? <input type="hidden" name="noticeStartOn" value={confirm.noticeStartOn} /> : null}
                <input type="hidden" name="confirmed" value="yes" />
                <div className="flex gap-2">
                  <button type="submit" className={confirm.to === 'cancelled' ? 'btn-danger' : 'btn-primary'}>
                    {t('grading.round.confirm')}
                  </button>
                  <Link to={`/grading/rounds/${round.id}`} className="btn-secondary">
                    {t('form.cancel')}
                  </Link>
                </div>
              </Form>
            ) : (
              transitions.map((to) => (
                <Form method="post" key={to} className="mb-3 grid gap-2 border-b pb-3 last:border-0">
                  <input type="hidden" name="to" value={to} />
                  <input type="hidden" name="version" value={round.version} />
                  {to === 'notice' ? (
                    <label className="text-sm">
                      {t('grading.round.noticeStart')}
                      <input type="date" name="noticeStartOn" className="input" />
                    </label>
                  ) : null}
                  <label className="text-sm">
                    {t('grading.round.transitionNote')}
                    <input name="note" maxLength={500} className="input" />
                  </label>
                  <button type="submit" className={to === 'cancelled' ? 'btn-danger' : 'btn-primary'}>
                    {t('grading.round.transitionTo', { status: statusLabel(to) })}
                  </button>
                </Form>
              ))
            )}
          </section>
        ) : null}
      </div>

      <section className="card mt-4">
        <h2 className="mb-2 text-lg">{t('grading.round.applications')}</h2>
        {applications.length ? (
          <div className="overflow-x-auto">
            <table className="w-full text-sm" data-testid="round-applications">
              <thead>
                <tr className="text-left text-slate-600">
                  <th className="p-1">{t('grading.round.col.code')}</th>
                  <th className="p-1">{t('grading.round.col.applicant')}</th>
                  <th className="p-1">{t('grading.round.col.grade')}</th>
                  <th className="p-1">{t('grading.round.col.status')}</th>
                  <th className="p-1">{t('grading.round.col.eligibility')}</th>
                  <th className="p-1">{t('grading.round.col.score')}</th>
                  <th className="p-1">{t('grading.round.col.rank')}</th>
                </tr>
              </thead>
              <tbody>
                {applications.map((a) => (
                  <tr key={a.id} className="border-t">
                    <td className="p-1">
                      <Link to={`/grading/applications/${a.id}`} className="underline">
                        {a.blindCode}
                      </Link>
                    </td>
                    <td className="p-1">
                      {a.name}
                      <span className="block text-xs text-slate-600">{a.orgName}</span>
                    </td>
                    <td className="p-1">{a.grade}</td>
                    <td className="p-1">{t(`grading.application.status.${a.status}`)}</td>
                    <td className="p-1">
                      {a.eligible ? t('grading.eligibility.passed') : t('grading.eligibility.failed')}
                      {a.overridden ? ' *' : ''}
                    </td>
                    <td className="p-1">{a.score === null ? '—' : (a.score / 100).toFixed(2)}</td>
                    <td className="p-1">{a.rank ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="text-sm text-slate-600">{t('grading.round.noApplications')}</p>
        )}
      </section>

      {round.committee.length && access !== 'applicant' ? (
        <section className="card mt-4">
          <h2 className="mb-2 text-lg">{t('grading.round.committee')}</h2>
          <ul className="text-sm">
            {round.committee.map((m) => (
              <li key={`${m.name}-${m.affiliation}`}>
                {m.name} · {m.affiliation} · {m.kind}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="card mt-4">
        <h2 className="mb-2 text-lg">{t('grading.round.events')}</h2>
        <ol className="text-sm" data-testid="round-events">
          {events.map((e) => (
            <li key={e.id} className="border-b py-1 last:border-0">
              {t.dateTime(e.at)} ·{' '}
              {e.from ? t('grading.round.eventLine', { from: statusLabel(e.from), to: statusLabel(e.to) }) : statusLabel(e.to)}
              {access !== 'applicant' ? ` · ${e.by}` : ''}
              {e.note ? ` · ${e.note}` : ''}
            </li>
          ))}
        </ol>
      </section>
    </>
  )
}
