import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PreferenceControls } from '#app/components/preference-controls.tsx'
import { FormErrors, TextField } from '#app/components/ui/form.tsx'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { badRequest } from '#app/lib/http.server.ts'
import { messageRef } from '#app/lib/i18n.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { getOptionalUser } from '#app/modules/auth/authz.server.ts'
import { clearPendingCookie } from '#app/modules/auth/pending-sign-in.server.ts'
import { completeSecondFactor, pendingSignIn } from '#app/modules/auth/sign-in.server.ts'
import { recoveryStepSchema, totpStepSchema } from '#app/modules/auth/two-factor-schemas.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'twoFactor.verify.title')

async function backToLogin(message: 'twoFactor.pendingExpired' | 'twoFactor.attemptsUsedUp') {
  return redirectWithFlash('/login', { kind: 'error', message }, { headers: { 'Set-Cookie': await clearPendingCookie() } })
}

/** The second step of signing in: reachable only with a pending sign-in of purpose "verify". */
export async function loader({ request }: LoaderFunctionArgs) {
  if (await getOptionalUser(request)) throw redirect('/')
  const pending = await pendingSignIn(request)
  if (!pending || pending.purpose !== 'verify') throw await backToLogin('twoFactor.pendingExpired')
  return null
}

export async function action({ request }: ActionFunctionArgs) {
  const pending = await pendingSignIn(request)
  if (!pending || pending.purpose !== 'verify') throw await backToLogin('twoFactor.pendingExpired')
  const formData = await request.formData()
  const intent = formData.get('intent')
  const schema = intent === 'totp' ? totpStepSchema : intent === 'recovery' ? recoveryStepSchema : null
  if (!schema) badRequest()
  const submission = parseWithZod(formData, { schema })
  if (submission.status !== 'success') return data({ intent, result: submission.reply() }, { status: 400 })

  const value = submission.value
  const result =
    value.intent === 'totp'
      ? await completeSecondFactor(request, pending, 'totp', value.code)
      : await completeSecondFactor(request, pending, 'recovery', value.recoveryCode)
  if (!result.ok) {
    if (result.error === 'twoFactor.pendingExpired') throw await backToLogin(result.error)
    if ('attemptsUsedUp' in result && result.attemptsUsedUp) throw await backToLogin('twoFactor.attemptsUsedUp')
    const message = result.error === 'auth.signIn.throttled' ? messageRef(result.error, { minutes: result.minutes }) : result.error
    const field = value.intent === 'totp' ? 'code' : 'recoveryCode'
    return data(
      { intent, result: submission.reply({ fieldErrors: { [field]: [message] }, hideFields: [field] }) },
      { status: result.error.startsWith('auth.signIn') ? 429 : 400 },
    )
  }
  const headers = new Headers()
  for (const cookie of result.setCookies) headers.append('Set-Cookie', cookie)
  // A used recovery code is worth a reminder of how many are left.
  if (result.recoveryCodesLeft !== undefined) {
    return redirectWithFlash(
      result.redirectTo,
      { kind: 'info', message: 'twoFactor.recovery.used', params: { left: result.recoveryCodesLeft } },
      { headers },
    )
  }
  throw redirect(result.redirectTo, { headers })
}

export default function TwoFactorStepPage() {
  const t = useT()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting'
  const [totpForm, totpFields] = useForm({
    id: 'two-factor-code',
    lastResult: actionData?.intent === 'totp' ? actionData.result : undefined,
    constraint: getZodConstraint(totpStepSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: totpStepSchema }),
    shouldRevalidate: 'onInput',
  })
  const [recoveryForm, recoveryFields] = useForm({
    id: 'two-factor-recovery',
    lastResult: actionData?.intent === 'recovery' ? actionData.result : undefined,
    constraint: getZodConstraint(recoveryStepSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: recoveryStepSchema }),
    shouldRevalidate: 'onInput',
  })
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-4 py-10">
      <div className="mb-6 flex justify-end">
        <PreferenceControls />
      </div>
      <h1 className="text-center text-3xl text-accent-800">{t('app.name')}</h1>
      <div className="card mt-8">
        <h2 className="text-xl">{t('twoFactor.verify.title')}</h2>
        <p className="mt-1 text-sm text-slate-600">{t('twoFactor.verify.intro')}</p>
        <Form method="post" {...getFormProps(totpForm)} className="mt-4 space-y-4">
          <FormErrors errors={totpForm.errors} />
          <input type="hidden" name="intent" value="totp" />
          <TextField
            meta={totpFields.code}
            label={t('twoFactor.code')}
            hint={t('twoFactor.code.hint')}
            inputMode="numeric"
            autoComplete="one-time-code"
            required
          />
          <button type="submit" className="btn-primary w-full" disabled={busy}>
            {t('twoFactor.verify.submit')}
          </button>
        </Form>
        <details className="mt-6 border-t border-slate-200 pt-4" open={actionData?.intent === 'recovery' || undefined}>
          <summary className="cursor-pointer text-accent-800">{t('twoFactor.verify.useRecovery')}</summary>
          <Form method="post" {...getFormProps(recoveryForm)} className="mt-3 space-y-4">
            <FormErrors errors={recoveryForm.errors} />
            <input type="hidden" name="intent" value="recovery" />
            <TextField
              meta={recoveryFields.recoveryCode}
              label={t('twoFactor.recoveryCode')}
              hint={t('twoFactor.recoveryCode.hint')}
              autoComplete="off"
              required
            />
            <button type="submit" className="btn-secondary w-full" disabled={busy}>
              {t('twoFactor.verify.submitRecovery')}
            </button>
          </Form>
        </details>
        <p className="mt-6 text-sm">
          <Link to="/login" className="text-accent-800 underline">
            {t('twoFactor.startOver')}
          </Link>
        </p>
      </div>
    </main>
  )
}
