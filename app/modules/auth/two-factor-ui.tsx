/**
 * UI pieces of two-factor sign-in shared by the sign-in enrolment step and the account page: the
 * QR code with the secret in text, the confirmation form, and the recovery codes shown once.
 */
import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { SubmissionResult } from '@conform-to/react'
import { Form, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors, TextField } from '#app/components/ui/form.tsx'
import { confirmEnrolmentSchema } from './two-factor-schemas.ts'

export interface EnrolmentView {
  secret: string
  qr: string
}

/** Step by step: add the account to an app (QR code or the secret typed by hand), then confirm with a code. */
export function EnrolmentPanel({ enrolment, lastResult }: { enrolment: EnrolmentView; lastResult?: SubmissionResult<string[]> }) {
  const t = useT()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'confirm-enrolment',
    lastResult,
    constraint: getZodConstraint(confirmEnrolmentSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: confirmEnrolmentSchema }),
    shouldRevalidate: 'onInput',
  })
  return (
    <div className="space-y-4" data-testid="two-factor-enrolment">
      <ol className="list-decimal space-y-2 pl-5">
        <li>{t('twoFactor.enrol.step1')}</li>
        <li>{t('twoFactor.enrol.step2')}</li>
        <li>{t('twoFactor.enrol.step3')}</li>
      </ol>
      <img src={enrolment.qr} alt={t('twoFactor.enrol.qrAlt')} width={200} height={200} className="mx-auto block h-auto w-48 max-w-full" />
      <div>
        <p className="text-sm text-slate-600">{t('twoFactor.enrol.manual')}</p>
        <p className="mt-1 break-all rounded bg-slate-100 px-3 py-2 font-mono text-lg" data-testid="two-factor-secret">
          {enrolment.secret}
        </p>
      </div>
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <FormErrors errors={form.errors} />
        <input type="hidden" name="intent" value="confirm" />
        <TextField
          meta={fields.code}
          label={t('twoFactor.code')}
          hint={t('twoFactor.code.hint')}
          inputMode="numeric"
          autoComplete="one-time-code"
          required
        />
        <button type="submit" className="btn-primary w-full sm:w-auto" disabled={navigation.state === 'submitting'}>
          {t('twoFactor.enrol.confirm')}
        </button>
      </Form>
    </div>
  )
}

/** The recovery codes, shown once, right after they were made. */
export function RecoveryCodesPanel({ codes }: { codes: string[] }) {
  const t = useT()
  return (
    <section className="rounded-md border-l-4 border-amber-600 bg-amber-50 px-4 py-3" aria-labelledby="recovery-codes-heading">
      <h2 id="recovery-codes-heading" className="text-lg">
        {t('twoFactor.recovery.title')}
      </h2>
      <p className="mt-1">{t('twoFactor.recovery.once')}</p>
      <ul className="mt-3 grid grid-cols-2 gap-2 font-mono text-lg" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
    </section>
  )
}
