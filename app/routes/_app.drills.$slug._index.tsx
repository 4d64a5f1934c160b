import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { forbidden } from '#app/lib/http.server.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import { recordTitle } from '#app/lib/meta.ts'
import { actorOf, requirePermission } from '#app/modules/auth/authz.server.ts'
import { drillOr404 } from '#app/modules/drills/access.server.ts'
import { attemptsOf, isExpired, startAttempt } from '#app/modules/drills/attempts.server.ts'
import { criterionMax } from '#app/modules/drills/model.ts'
import { MdxHtml } from '#app/modules/drills/mdx-html.tsx'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => recordTitle(matches, data?.drill.title ?? '')

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'drill:take')
  const db = getDb()
  const drill = await drillOr404(db, params.slug)
  // Practice attempts only; event attempts are listed on the event's page.
  const attempts = user.personId ? (await attemptsOf(db, user.personId, drill.slug)).filter((a) => a.event_id === null) : []
  const s = drill.structure
  return {
    drill: {
      slug: drill.slug,
      kind: s.kind,
      title: s.title,
      topic: s.topic,
      briefHtml: drill.briefHtml,
      maxAttempts: s.maxAttempts,
      passMark: s.passMark,
      timeLimitMinutes: s.kind === 'quiz' ? (s.timeLimitMinutes ?? null) : null,
      itemCount: s.kind === 'quiz' ? (s.draw ?? s.items.length) : null,
      rubric:
        s.kind === 'drafting'
          ? s.rubric.map((c) => ({ id: c.id, name: c.name, description: c.description, weight: c.weight, max: criterionMax(c) }))
          : null,
    },
    attempts: attempts.map((a) => ({
      id: a.id,
      no: a.attempt_no,
      status: isExpired(a) ? ('expired' as const) : a.status,
      score: a.score,
      passed: a.passed === 1,
      startedAt: a.started_at,
      submittedAt: a.submitted_at,
    })),
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'drill:take')
  const db = getDb()
  const drill = await drillOr404(db, params.slug)
  if (!user.personId) forbidden()
  const result = await startAttempt(db, drill, { personId: user.personId, userId: user.userId })
  if (!result.ok) return redirectWithFlash(`/drills/${drill.slug}`, { kind: 'error', message: result.error })
  if (!result.value.resumed) {
    await audit(db, request, actorOf(user), {
      action: 'drill.start',
      recordType: 'drill_attempt',
      recordId: result.value.id,
      detail: { drill: drill.slug },
    })
  }
  return redirect(`/drills/${drill.slug}/attempts/${result.value.id}`)
}

export default function DrillPage() {
  const t = useT()
  const { drill, attempts } = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  const open = attempts.find((a) => a.status === 'in_progress')
  const left = drill.maxAttempts - attempts.length
  return (
    <>
      <PageHeader title={drill.title} crumbs={[{ label: t('drills.title'), to: '/drills' }, { label: drill.title }]} />
      <section className="card mb-4">
        <p className="text-sm text-slate-600">
          {t(`drills.kind.${drill.kind}` as MessageKey)} · {drill.topic}
        </p>
        <ul className="mt-2 text-sm text-slate-700">
          <li>{t('drills.passMark', { mark: drill.passMark })}</li>
          {drill.itemCount ? <li>{t('drills.itemCount', { count: drill.itemCount })}</li> : null}
          {drill.timeLimitMinutes ? <li>{t('drills.timeLimit', { minutes: drill.timeLimitMinutes })}</li> : null}
          <li>{t('drills.attemptsUsed', { used: attempts.length, max: drill.maxAttempts })}</li>
        </ul>
        <MdxHtml className="mt-4" html={drill.briefHtml} />
        {drill.rubric ? (
          <div className="mt-4">
            <h2 className="text-lg">{t('drills.rubric')}</h2>
            <ul className="mt-2 space-y-1 text-sm">
              {drill.rubric.map((c) => (
                <li key={c.id}>
                  <strong>{c.name}</strong> ({t('drills.rubricPoints', { max: c.max, weight: c.weight })}): {c.description}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <Form method="post" className="mt-4">
          {open ? (
            <button type="submit" className="btn-primary" disabled={busy}>
              {t('drills.resume')}
            </button>
          ) : left > 0 ? (
            <button type="submit" className="btn-primary" disabled={busy}>
              {t('drills.start')}
            </button>
          ) : (
            <p className="text-slate-700">{t('drills.error.limit')}</p>
          )}
        </Form>
      </section>
      {attempts.length ? (
        <section className="card" aria-labelledby="my-attempts">
          <h2 id="my-attempts" className="text-lg">
            {t('drills.myAttempts')}
          </h2>
          <ul className="mt-2 space-y-2">
            {attempts.map((a) => (
              <li key={a.id} className="flex flex-wrap items-center gap-2">
                <Link to={`/drills/${drill.slug}/attempts/${a.id}`}>{t('drills.attemptNo', { no: a.no })}</Link>
                <span className="text-sm text-slate-600">{t(`drills.status.${a.status}` as MessageKey)}</span>
                {a.score !== null ? <span className="text-sm">{t('drills.scoreLine', { score: a.score })}</span> : null}
                {a.passed ? <span className="text-sm text-emerald-700">{t('drills.passed')}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  )
}
