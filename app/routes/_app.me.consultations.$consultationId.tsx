import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { forbidden, notFound } from '#app/lib/http.server.ts'
import { isId } from '#app/lib/ids.ts'
import { recordTitle } from '#app/lib/meta.ts'
import { actorOf, requirePermission } from '#app/modules/auth/authz.server.ts'
import { acceptInvitation, declineInvitation, submitOpinion } from '#app/modules/cases/consultations.server.ts'
import { myConsultation } from '#app/modules/cases/expert-view.server.ts'
import { recommendForCase } from '#app/modules/cases/matching.server.ts'
import { todayInChina } from '#app/lib/time.ts'
import { consultationStatusLabel, difficultyLabel, modeLabel, yuan } from '#app/modules/cases/model.ts'
import { respondSchema } from '#app/modules/cases/schemas.ts'
import { OpinionView } from '#app/modules/cases/ui/opinion-view.tsx'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => recordTitle(matches, data?.consultation.title ?? '')

async function load(request: Request, consultationId: string | undefined) {
  const user = await requirePermission(request, 'consultation:respond')
  if (!user.personId) forbidden()
  const consultation = isId(consultationId) ? await myConsultation(getDb(), user.personId, consultationId) : null
  if (!consultation) {
    await audit(getDb(), request, actorOf(user), {
      action: 'authz.out_of_scope',
      recordType: 'case_consultation',
      recordId: String(consultationId ?? ''),
      result: 'denied',
      detail: { permission: 'consultation:respond' },
    })
    notFound()
  }
  return { user, expertId: user.personId, consultation }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { consultation } = await load(request, params.consultationId)
  return {
    consultation: {
      ...consultation,
      parties: consultation.parties.map((p) => ({ id: p.id, kind: p.kind, name: p.name, idMasked: p.id_number_masked })),
    },
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, expertId, consultation } = await load(request, params.consultationId)
  const submission = parseWithZod(await request.formData(), { schema: respondSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const db = getDb()
  const input = submission.value
  const result =
    input.intent === 'accept'
      ? await acceptInvitation(db, consultation.id, expertId)
      : input.intent === 'decline'
        ? await declineInvitation(db, consultation.id, expertId, input.reason)
        : await submitOpinion(db, consultation.id, expertId, input)
  if (!result.ok) return data(submission.reply({ formErrors: [result.message] }), { status: 409 })
  if (result.changed && input.intent === 'decline') {
    // The slot is free again: a fresh recommendation (the decliner excluded) waits for the staff.
    await recommendForCase(db, consultation.case_id, todayInChina(), null)
  }
  if (result.changed) {
    await audit(db, request, actorOf(user), {
      action: `case.consultation_${input.intent === 'opinion' ? 'opinion_submitted' : input.intent === 'accept' ? 'accepted' : 'declined'}`,
      recordType: 'case_consultation',
      recordId: consultation.id,
      detail: {
        caseId: consultation.case_id,
        ...(input.intent === 'decline' ? { reason: input.reason } : {}),
        ...(input.intent === 'opinion' ? { hours: input.hours } : {}),
      },
    })
  }
  const message =
    input.intent === 'accept' ? 'cases.me.accepted' : input.intent === 'decline' ? 'cases.me.declined' : 'cases.opinion.submitted'
  return redirectWithFlash(`/me/consultations/${consultation.id}`, { kind: 'success', message })
}

export default function MyConsultation() {
  const t = useT()
  const { consultation: c } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const errors = result && 'error' in result && result.error ? Object.values(result.error).flat() : []
  return (
    <>
      <PageHeader title={c.title} crumbs={[{ label: t('cases.me.title'), to: '/me/consultations' }, { label: c.case_number }]} />
      {errors.length ? (
        <div role="alert" className="card mb-4 text-red-800">
          {errors.map((e) => (e ? t.ref(e) : '')).join(' ')}
        </div>
      ) : null}
      <section className="card mb-4 grid gap-1">
        <h2 className="text-lg">{t('cases.me.case')}</h2>
        <p>
          {c.case_number} · <span data-testid="consultation-status">{t(consultationStatusLabel(c.status))}</span>
        </p>
        <p>
          {c.dispute_type_code} · {t(difficultyLabel(c.difficulty))} · {c.region_name} · {c.org_name}
        </p>
        <p>
          {t(modeLabel(c.mode))} · {t('cases.due', { date: t.date(c.deadline) })} · {t.date(c.period_start)}–{t.date(c.period_end)}
        </p>
        {c.amount_fen !== null ? (
          <p>
            {t('cases.field.amount')}：{yuan(c.amount_fen)}
          </p>
        ) : null}
        <p className="whitespace-pre-line">{c.summary}</p>
        <ul data-testid="parties">
          {c.parties.map((p) => (
            <li key={p.id}>
              {p.name}（{t(p.kind === 'person' ? 'cases.party.person' : 'cases.party.organisation')}）{p.idMasked ? ` ${p.idMasked}` : ''}
            </li>
          ))}
        </ul>
      </section>
      {c.status === 'invited' ? (
        <section className="card mb-4 grid gap-3">
          <Form method="post">
            <input type="hidden" name="intent" value="accept" />
            <button type="submit" className="btn-primary w-full sm:w-auto">
              {t('cases.me.accept')}
            </button>
          </Form>
          <Form method="post" className="grid gap-2">
            <input type="hidden" name="intent" value="decline" />
            <label className="grid gap-1">
              <span className="label">{t('cases.consultation.declineReason')}</span>
              <textarea name="reason" className="input" rows={2} required maxLength={1000} />
            </label>
            <button type="submit" className="btn-secondary w-full sm:w-auto">
              {t('cases.me.decline')}
            </button>
          </Form>
        </section>
      ) : null}
      {c.status === 'accepted' ? (
        <Form method="post" className="card mb-4 grid gap-3">
          <h2 className="text-lg">{t('cases.opinion.title')}</h2>
          <input type="hidden" name="intent" value="opinion" />
          {(
            [
              ['issues', 'cases.opinion.issues'],
              ['analysis', 'cases.opinion.analysis'],
              ['resolution', 'cases.opinion.resolution'],
              ['legalBasis', 'cases.opinion.legalBasis'],
            ] as const
          ).map(([name, key]) => (
            <label key={name} className="grid gap-1">
              <span className="label">{t(key)}</span>
              <textarea name={name} className="input" rows={3} required />
            </label>
          ))}
          <label className="grid gap-1">
            <span className="label">{t('cases.consultation.hours')}</span>
            <input name="hours" type="number" step="0.1" min="0.1" max="200" className="input" required inputMode="numeric" />
          </label>
          <button type="submit" className="btn-primary w-full sm:w-auto">
            {t('cases.opinion.submit')}
          </button>
        </Form>
      ) : null}
      {c.opinion_issues ? (
        <section className="card mb-4 grid gap-1" data-testid="opinion">
          <h2 className="text-lg">{t('cases.opinion.title')}</h2>
          <OpinionView opinion={c} />
          {c.rating ? (
            <p>
              {t('cases.consultation.rating')}：{c.rating}/5 {c.rating_comment ?? ''}
            </p>
          ) : null}
        </section>
      ) : null}
    </>
  )
}
