import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { todayInChina } from '#app/lib/time.ts'
import { requireRound } from '#app/modules/grading/access.server.ts'
import {
  applicantCandidates,
  applyRefusal,
  previewEligibility,
  submitApplication,
  withinAssociation,
} from '#app/modules/grading/applications.server.ts'
import { attachmentMaxBytes, pendingAttachments } from '#app/modules/grading/attachments.server.ts'
import { roundConfig } from '#app/modules/grading/rounds.server.ts'
import { applySchema } from '#app/modules/grading/schemas.ts'
import { EligibilityView } from '#app/modules/grading/ui/eligibility-view.tsx'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'grading.round.apply')

/**
 * The application form: choose the mediator (an org manager applies for theirs) and the grade,
 * see the eligibility check on the current records, attach files, declare, submit.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, round } = await requireRound(request, params.roundId, ['applicant'])
  const db = getDb()
  const today = todayInChina()
  const url = new URL(request.url)
  const candidates = (await applicantCandidates(db, user)).filter((c) => withinAssociation(round, c))
  const personId = candidates.find((c) => c.personId === url.searchParams.get('personId'))?.personId ?? candidates[0]?.personId ?? null
  const { config } = await roundConfig(db, round)
  const grades = round.gradeCodes.map((code) => ({ code, name: config.grades.find((g) => g.code === code)?.name ?? code }))
  const gradeCode = grades.find((g) => g.code === url.searchParams.get('grade'))?.code ?? grades.at(-1)?.code ?? null
  const preview = personId && gradeCode ? await previewEligibility(db, personId, gradeCode, config, today) : null
  return {
    round: { id: round.id, title: round.title },
    refusal: applyRefusal(round, today),
    candidates: candidates.map((c) => ({ personId: c.personId, label: `${c.name}（${c.orgName}）` })),
    personId,
    grades,
    gradeCode,
    eligibility: preview?.eligibility ?? null,
    attachments: personId
      ? (await pendingAttachments(db, personId)).map((a) => ({ id: a.id, fileName: a.fileName, sizeBytes: a.sizeBytes }))
      : [],
    maxMb: Math.floor((await attachmentMaxBytes(db)) / 1_000_000),
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, round } = await requireRound(request, params.roundId, ['applicant'])
  const submission = parseWithZod(await request.formData(), { schema: applySchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const outcome = await submitApplication(getDb(), request, user, {
    roundId: round.id,
    personId: submission.value.personId,
    gradeCode: submission.value.gradeCode,
    declarations: { noCriminalConversion: true, noMisconduct: true },
    today: todayInChina(),
  })
  if (!outcome.ok) {
    const reply =
      outcome.field === 'form'
        ? submission.reply({ formErrors: [outcome.error] })
        : submission.reply({ fieldErrors: { [outcome.field]: [outcome.error] } })
    return data(reply, { status: outcome.error === 'grading.application.duplicate' ? 409 : 400 })
  }
  return redirectWithFlash(`/grading/applications/${outcome.id}`, { kind: 'success', message: 'grading.application.submitted' })
}

export default function ApplyPage() {
  const t = useT()
  const { round, refusal, candidates, personId, grades, gradeCode, eligibility, attachments, maxMb } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'grading-apply',
    lastResult,
    constraint: getZodConstraint(applySchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: applySchema }),
    shouldRevalidate: 'onBlur',
  })
  const back = `/grading/rounds/${round.id}/apply?personId=${personId ?? ''}&grade=${gradeCode ?? ''}`
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        title={t('grading.round.apply')}
        crumbs={[
          { label: t('grading.title'), to: '/grading' },
          { label: round.title, to: `/grading/rounds/${round.id}` },
          { label: t('grading.round.apply') },
        ]}
      />
      {refusal ? (
        <FormErrors errors={[refusal]} />
      ) : !candidates.length ? (
        <FormErrors errors={['grading.application.notMediator']} />
      ) : (
        <div className="grid gap-4">
          <Form method="get" className="card grid gap-3 sm:grid-cols-3 sm:items-end">
            <label className="text-sm">
              <span className="label">{t('grading.application.chooseMediator')}</span>
              <select name="personId" defaultValue={personId ?? ''} className="input">
                {candidates.map((c) => (
                  <option key={c.personId} value={c.personId}>
                    {c.label}
                  </option>
                ))}
              </select>
            </label>
            <label className="text-sm">
              <span className="label">{t('grading.application.grade')}</span>
              <select name="grade" defaultValue={gradeCode ?? ''} className="input">
                {grades.map((g) => (
                  <option key={g.code} value={g.code}>
                    {g.name}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="btn-secondary">
              {t('grading.eligibility.preview')}
            </button>
          </Form>

          <EligibilityView eligibility={eligibility} caption={t('grading.eligibility.preview')} />

          <section className="card">
            <h2 className="mb-2 text-lg">{t('grading.attachments.pending')}</h2>
            <p className="mb-2 text-sm text-slate-600">{t('grading.application.attachHint')}</p>
            {attachments.length ? (
              <ul className="mb-3 text-sm">
                {attachments.map((a) => (
                  <li key={a.id} className="flex flex-wrap items-center justify-between gap-2 border-b py-1">
                    <a href={`/grading/attachments/${a.id}`} className="min-w-0 break-all underline">
                      {a.fileName}
                    </a>
                    <Form method="post" action="/grading/attachments/upload">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="attachmentId" value={a.id} />
                      <input type="hidden" name="back" value={back} />
                      <button type="submit" className="btn-secondary">
                        {t('grading.attachments.remove')}
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="mb-3 text-sm text-slate-600">{t('grading.attachments.none')}</p>
            )}
            <Form
              method="post"
              action={`/grading/attachments/upload?back=${encodeURIComponent(back)}`}
              encType="multipart/form-data"
              className="grid gap-2"
            >
              <input type="hidden" name="personId" value={personId ?? ''} />
              <input type="hidden" name="back" value={back} />
              <label className="text-sm">
                <span className="label">{t('grading.attachments.file', { mb: maxMb })}</span>
                <input
                  type="file"
                  name="file"
                  accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
                  className="input"
                  required
                />
              </label>
              <button type="submit" className="btn-secondary">
                {t('grading.attachments.upload')}
              </button>
            </Form>
          </section>

          <Form method="post" {...getFormProps(form)} className="card grid gap-3" data-testid="apply-form">
            <FormErrors errors={form.errors} />
            <input type="hidden" name="personId" value={personId ?? ''} />
            <input type="hidden" name="gradeCode" value={gradeCode ?? ''} />
            <label className="flex items-start gap-2">
              <input type="checkbox" name="noCriminalConversion" id={fields.noCriminalConversion.id} className="mt-1" />
              <span>{t('grading.declare.noCriminalConversion')}</span>
            </label>
            <label className="flex items-start gap-2">
              <input type="checkbox" name="noMisconduct" id={fields.noMisconduct.id} className="mt-1" />
              <span>{t('grading.declare.noMisconduct')}</span>
            </label>
            {fields.noCriminalConversion.errors || fields.noMisconduct.errors || fields.personId.errors || fields.gradeCode.errors ? (
              <div className="field-error">
                {[
                  ...new Set([
                    ...(fields.noCriminalConversion.errors ?? []),
                    ...(fields.noMisconduct.errors ?? []),
                    ...(fields.personId.errors ?? []),
                    ...(fields.gradeCode.errors ?? []),
                  ]),
                ].map((e) => (
                  <p key={e}>{t.ref(e)}</p>
                ))}
              </div>
            ) : null}
            <div className="flex flex-wrap gap-2">
              <button type="submit" className="btn-primary">
                {t('grading.round.apply')}
              </button>
              <Link to={`/grading/rounds/${round.id}`} className="btn-secondary">
                {t('form.cancel')}
              </Link>
            </div>
          </Form>
        </div>
      )}
    </div>
  )
}
