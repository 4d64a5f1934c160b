import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors, SelectField, TextField } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { forbidden } from '#app/lib/http.server.ts'
import { messageRef } from '#app/lib/i18n.ts'
import { newId } from '#app/lib/ids.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { todayInChina } from '#app/lib/time.ts'
import { actorOf, may, requirePermission } from '#app/modules/auth/authz.server.ts'
import { formatMegabytes } from '#app/modules/experts/labels.ts'
import { endsInFuture, externalRecordSchema } from '#app/modules/training/external.ts'
import { proofMaxBytes, readExternalUpload, submitExternalRecord } from '#app/modules/training/external.server.ts'
import { formatLabel, kindLabel } from '#app/modules/training/labels.ts'
import { SESSION_FORMATS, SESSION_KINDS } from '#app/modules/training/session-schemas.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'training.external.new')

/** Only a mediator records their own external training (training:learn, reach self). */
async function claimant(request: Request) {
  const user = await requirePermission(request, 'training:learn')
  if (!user.personId || !may(user, 'training:learn', { personId: user.personId })) forbidden()
  return { user, personId: user.personId }
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { personId } = await claimant(request)
  return { personId, submissionKey: newId(), today: todayInChina(), size: formatMegabytes(proofMaxBytes()) }
}

/** Multipart: the fields and the `proof` file (PDF, JPG or PNG by its bytes, capped while it streams). */
export async function action({ request }: ActionFunctionArgs) {
  const { user, personId } = await claimant(request)
  if (!(request.headers.get('Content-Type') ?? '').startsWith('multipart/form-data')) {
    return data(parseWithZod(new FormData(), { schema: externalRecordSchema }).reply({ formErrors: ['training.external.proofMissing'] }), {
      status: 400,
    })
  }
  const max = proofMaxBytes()
  const upload = await readExternalUpload(request, max)
  const submission = parseWithZod(upload.form, { schema: externalRecordSchema })
  const fieldErrors: Record<string, string[]> = {}
  if (!upload.proof.ok) {
    fieldErrors.proof = [
      upload.proof.error === 'tooLarge'
        ? messageRef('training.external.proofTooLarge', { size: formatMegabytes(max) })
        : upload.proof.error === 'type'
          ? 'training.external.proofType'
          : 'training.external.proofMissing',
    ]
  }
  if (submission.status !== 'success') {
    const reply = submission.reply()
    return data({ ...reply, error: { ...reply.error, ...fieldErrors } }, { status: 400 })
  }
  if (endsInFuture(submission.value, todayInChina())) fieldErrors.endDate = ['training.external.endInFuture']
  if (Object.keys(fieldErrors).length || !upload.proof.ok) return data(submission.reply({ fieldErrors }), { status: 400 })
  const { id } = await submitExternalRecord(
    getDb(),
    request,
    actorOf(user),
    { personId, userId: user.userId },
    submission.value,
    upload.proof,
  )
  return redirectWithFlash(`/training/external/${id}`, { kind: 'success', message: 'training.external.submitted' })
}

export default function NewExternalRecord() {
  const t = useT()
  const { personId, submissionKey, today, size } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'external-record',
    lastResult,
    constraint: getZodConstraint(externalRecordSchema),
    defaultValue: { submissionKey },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: externalRecordSchema }),
    shouldRevalidate: 'onBlur',
  })
  const proofErrors = (lastResult?.error as Record<string, string[] | null> | undefined)?.proof ?? []
  return (
    <>
      <PageHeader
        title={t('training.external.new')}
        crumbs={[{ label: t('training.archive.title'), to: `/training/archive/${personId}` }, { label: t('training.external.new') }]}
      />
      <p className="mb-4 text-slate-700">{t('training.external.intro')}</p>
      <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="card grid gap-4 md:grid-cols-2">
        <input type="hidden" name={fields.submissionKey.name} value={fields.submissionKey.initialValue ?? submissionKey} />
        <div className="md:col-span-2">
          <FormErrors errors={form.errors} />
        </div>
        <TextField meta={fields.title} label={t('training.session.title')} required className="md:col-span-2" />
        <TextField meta={fields.provider} label={t('training.external.provider')} required className="md:col-span-2" />
        <SelectField
          meta={fields.kind}
          label={t('training.archive.kind')}
          required
          placeholder=""
          options={SESSION_KINDS.map((k) => ({ value: k, label: t(kindLabel(k)) }))}
        />
        <SelectField
          meta={fields.format}
          label={t('training.session.format')}
          required
          placeholder=""
          options={SESSION_FORMATS.map((f) => ({ value: f, label: t(formatLabel(f)) }))}
        />
        <TextField meta={fields.startDate} label={t('training.session.startDate')} type="date" required />
        <TextField
          meta={fields.endDate}
          label={t('training.session.endDate')}
          type="date"
          required
          hint={t('training.external.endHint', { today: t.date(today) })}
        />
        <TextField meta={fields.hours} label={t('training.archive.hours')} type="number" inputMode="numeric" required />
        <TextField meta={fields.assessment} label={t('training.session.assessment')} />
        <div className="md:col-span-2">
          <label className="label" htmlFor="external-proof">
            {t('training.external.proof')} <span aria-hidden="true">*</span>
          </label>
          <input
            id="external-proof"
            name="proof"
            type="file"
            required
            accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
            className="input"
            aria-describedby="external-proof-hint"
            aria-invalid={proofErrors.length ? true : undefined}
          />
          <p id="external-proof-hint" className="field-hint">
            {t('training.external.proofHint', { size })}
          </p>
          {proofErrors.map((e) => (
            <p key={e} className="text-sm text-red-700" data-testid="proof-error">
              {t.ref(e)}
            </p>
          ))}
        </div>
        <div className="flex flex-wrap gap-2 md:col-span-2">
          <button type="submit" className="btn-primary">
            {t('training.external.submit')}
          </button>
          <Link to={`/training/archive/${personId}`} className="btn-secondary">
            {t('form.cancel')}
          </Link>
        </div>
      </Form>
    </>
  )
}
