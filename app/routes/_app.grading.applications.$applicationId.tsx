import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { forbidden } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requireApplication } from '#app/modules/grading/access.server.ts'
import { forApplicant, overrideEligibility, scoresVisible, withdrawApplication } from '#app/modules/grading/applications.server.ts'
import { applicationAttachments } from '#app/modules/grading/attachments.server.ts'
import { roundConfig } from '#app/modules/grading/rounds.server.ts'
import { overrideSchema, withdrawSchema } from '#app/modules/grading/schemas.ts'
import { EligibilityView } from '#app/modules/grading/ui/eligibility-view.tsx'
import { EvidenceView } from '#app/modules/grading/ui/evidence-view.tsx'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'grading.title')

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { round, application, access } = await requireApplication(request, params.applicationId)
  const db = getDb()
  const { config } = await roundConfig(db, round)
  const visible = scoresVisible(access, round)
  const app = forApplicant(application, visible)
  const attachments = await applicationAttachments(db, app.id)
  const preReview = ['open', 'eligibility'].includes(round.status) && ['submitted', 'eligible', 'ineligible'].includes(app.status)
  return {
    access,
    round: { id: round.id, title: round.title, status: round.status },
    application: {
      id: app.id,
      blindCode: app.blindCode,
      personName: app.personName,
      orgName: app.orgName,
      grade: config.grades.find((g) => g.code === app.gradeCode)?.name ?? app.gradeCode,
      status: app.status,
      submittedAt: app.submittedAt,
      evidence: app.evidence,
      eligibility: app.eligibility,
      overrideVerdict: app.overrideVerdict,
      overrideReason: app.overrideReason,
      finalScore: app.finalScore,
      rankInGrade: app.rankInGrade,
      outcomeReason: app.outcomeReason,
      version: app.version,
    },
    scoresVisible: visible,
    attachments: attachments.map((a) => ({ id: a.id, fileName: a.fileName })),
    canOverride: access === 'manage' && preReview,
    canWithdraw: access === 'applicant' && preReview,
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, application, access } = await requireApplication(request, params.applicationId)
  const formData = await request.formData()
  const back = `/grading/applications/${application.id}`
  if (formData.get('intent') === 'override') {
    if (access !== 'manage') forbidden()
    const submission = parseWithZod(formData, { schema: overrideSchema })
    if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
    const outcome = await overrideEligibility(getDb(), request, user, { applicationId: application.id, ...submission.value })
    if (!outcome.ok) return data(submission.reply({ formErrors: [outcome.error] }), { status: 409 })
    return redirectWithFlash(back, { kind: 'success', message: 'grading.application.overrideDone' })
  }
  if (access !== 'applicant') forbidden()
  const submission = parseWithZod(formData, { schema: withdrawSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const outcome = await withdrawApplication(getDb(), request, user, { applicationId: application.id, version: submission.value.version })
  if (!outcome.ok) return data(submission.reply({ formErrors: [outcome.error] }), { status: 409 })
  return redirectWithFlash(back, { kind: 'success', message: 'grading.application.withdrawn' })
}

export default function ApplicationPage() {
  const t = useT()
  const { round, application: a, scoresVisible: visible, attachments, canOverride, canWithdraw, access } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const errors = result && 'error' in result ? (result.error?.[''] ?? undefined) : undefined
  const fieldErrors = result && 'error' in result ? result.error : undefined
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader
        title={t('grading.application.title', { code: a.blindCode })}
        crumbs={[
          { label: t('grading.title'), to: '/grading' },
          { label: round.title, to: `/grading/rounds/${round.id}` },
          { label: a.blindCode },
        ]}
      />
      <FormErrors errors={errors ?? undefined} />
      <section className="card mb-4">
        <dl className="grid gap-2 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-slate-600">{t('grading.application.applicant')}</dt>
            <dd>
              {a.personName}（{a.orgName}）
            </dd>
          </div>
          <div>
            <dt className="text-slate-600">{t('grading.application.grade')}</dt>
            <dd>{a.grade}</dd>
          </div>
          <div>
            <dt className="text-slate-600">{t('grading.round.col.status')}</dt>
            <dd className="font-semibold" data-testid="application-status">
              {t(`grading.application.status.${a.status}`)}
            </dd>
          </div>
          <div>
            <dt className="text-slate-600">{t('grading.application.submittedAt')}</dt>
            <dd>{t.dateTime(a.submittedAt)}</dd>
          </div>
          {visible ? (
            <>
              <div>
                <dt className="text-slate-600">{t('grading.application.finalScore')}</dt>
                <dd data-testid="final-score">{a.finalScore === null ? '—' : (a.finalScore / 100).toFixed(2)}</dd>
              </div>
              <div>
                <dt className="text-slate-600">{t('grading.application.rank')}</dt>
                <dd>{a.rankInGrade ?? '—'}</dd>
              </div>
              {a.outcomeReason ? (
                <div className="sm:col-span-2">
                  <dt className="text-slate-600">{t('grading.application.outcome')}</dt>
                  <dd>{a.outcomeReason}</dd>
                </div>
              ) : null}
            </>
          ) : (
            <p className="text-sm text-slate-600 sm:col-span-2">{t('grading.application.scoresHidden')}</p>
          )}
        </dl>
        {a.overrideVerdict ? (
          <p className="mt-3 text-sm">
            {t('grading.application.overridden', {
              verdict: t(`grading.application.status.${a.overrideVerdict}`),
              reason: a.overrideReason ?? '',
            })}
          </p>
        ) : null}
      </section>

      <div className="mb-4">
        <EligibilityView eligibility={a.eligibility} />
      </div>

      <h2 className="mb-2 text-lg">{t('grading.evidence.title')}</h2>
      <EvidenceView evidence={a.evidence} attachmentHref={(x) => `/grading/attachments/${x.id}`} />
      {access !== 'view' && attachments.length ? (
        <ul className="mt-2 text-sm">
          {attachments.map((f) => (
            <li key={f.id}>
              <a className="underline" href={`/grading/attachments/${f.id}`}>
                {f.fileName}
              </a>
            </li>
          ))}
        </ul>
      ) : null}

      {canOverride ? (
        <Form method="post" className="card mt-4 grid gap-2" data-testid="override-form">
          <h2 className="text-lg">{t('grading.application.override')}</h2>
          <input type="hidden" name="intent" value="override" />
          <input type="hidden" name="version" value={a.version} />
          <label className="text-sm">
            <span className="label">{t('grading.application.overrideVerdict')}</span>
            <select name="verdict" className="input" defaultValue={a.status === 'eligible' ? 'ineligible' : 'eligible'}>
              <option value="eligible">{t('grading.application.status.eligible')}</option>
              <option value="ineligible">{t('grading.application.status.ineligible')}</option>
            </select>
          </label>
          <label className="text-sm">
            <span className="label">{t('grading.application.overrideReason')}</span>
            <textarea name="reason" required maxLength={1000} rows={3} className="input" />
          </label>
          {fieldErrors?.reason ? <p className="field-error">{t.ref(fieldErrors.reason[0] ?? '')}</p> : null}
          <button type="submit" className="btn-primary">
            {t('form.save')}
          </button>
        </Form>
      ) : null}

      {canWithdraw ? (
        <Form method="post" className="card mt-4 grid gap-2">
          <input type="hidden" name="intent" value="withdraw" />
          <input type="hidden" name="version" value={a.version} />
          <p className="text-sm">{t('grading.application.withdrawConfirm')}</p>
          <button type="submit" className="btn-danger">
            {t('grading.application.withdraw')}
          </button>
        </Form>
      ) : null}
      <p className="mt-4">
        <Link to={`/grading/rounds/${round.id}`} className="underline">
          {t('common.back')}
        </Link>
      </p>
    </div>
  )
}
