import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors, TextField } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { badRequest } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { actorOf, requireUser } from '#app/modules/auth/authz.server.ts'
import { isRecentlyAuthenticated, reauthenticate } from '#app/modules/auth/reauth.server.ts'
import { secondFactorRequired } from '#app/modules/auth/two-factor-policy.ts'
import { confirmEnrolmentSchema, reauthSchema } from '#app/modules/auth/two-factor-schemas.ts'
import { readTwoFactorSettings } from '#app/modules/auth/two-factor-settings.server.ts'
import { EnrolmentPanel, RecoveryCodesPanel } from '#app/modules/auth/two-factor-ui.tsx'
import {
  confirmEnrolment,
  enrolmentDetails,
  factorStatus,
  regenerateRecoveryCodes,
  removeOwnFactor,
  startEnrolment,
} from '#app/modules/auth/two-factor.server.ts'

const PATH = '/account/two-factor'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'twoFactor.account.title')

/** The signed-in user's own second factor; everything acts on the session's user only. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const db = getDb()
  const [status, settings, fresh] = await Promise.all([
    factorStatus(db, user.userId),
    readTwoFactorSettings(db),
    isRecentlyAuthenticated(db, user),
  ])
  return {
    status,
    required: secondFactorRequired(
      user.grants.map((g) => g.role),
      settings.requiredRoles,
    ),
    fresh,
    reauthMinutes: settings.reauthMinutes,
    // The secret is shown only to a freshly re-authenticated session.
    enrolment: fresh && status.enrolling ? await enrolmentDetails(db, user.userId, user.username) : null,
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const db = getDb()
  const formData = await request.formData()
  const intent = formData.get('intent')

  if (intent === 'reauth') {
    const submission = parseWithZod(formData, { schema: reauthSchema })
    const hidden = ['password', 'code']
    if (submission.status !== 'success')
      return data({ intent, result: submission.reply({ hideFields: hidden }), recoveryCodes: null }, { status: 400 })
    const proof = await reauthenticate(request, user, submission.value.password, submission.value.code)
    if (!proof.ok) {
      return data(
        { intent, result: submission.reply({ fieldErrors: { [proof.field]: [proof.message] }, hideFields: hidden }), recoveryCodes: null },
        { status: proof.message.startsWith('auth.signIn.throttled') ? 429 : 400 },
      )
    }
    throw redirect(PATH)
  }

  // Everything below changes the second factor: only within minutes of a proof of identity.
  if (!(await isRecentlyAuthenticated(db, user))) {
    return redirectWithFlash(PATH, { kind: 'error', message: 'twoFactor.reauth.expired' })
  }
  const actor = actorOf(user)
  const status = await factorStatus(db, user.userId)

  switch (intent) {
    case 'start': {
      await startEnrolment(db, user.userId)
      throw redirect(PATH)
    }
    case 'confirm': {
      const submission = parseWithZod(formData, { schema: confirmEnrolmentSchema })
      if (submission.status !== 'success') return data({ intent, result: submission.reply(), recoveryCodes: null }, { status: 400 })
      const result = await confirmEnrolment(db, request, actor, user.userId, submission.value.code)
      if (!result.ok) {
        const message = result.reason === 'invalid' ? 'twoFactor.wrongCode' : 'twoFactor.noEnrolment'
        return data(
          { intent, result: submission.reply({ fieldErrors: { code: [message] }, hideFields: ['code'] }), recoveryCodes: null },
          { status: 400 },
        )
      }
      return data({ intent, result: submission.reply({ resetForm: true }), recoveryCodes: result.recoveryCodes })
    }
    case 'regenerate': {
      if (!status.enrolled) badRequest()
      const codes = await regenerateRecoveryCodes(db, request, actor, user.userId)
      return data({ intent, result: null, recoveryCodes: codes })
    }
    case 'remove': {
      if (!status.enrolled) badRequest()
      const settings = await readTwoFactorSettings(db)
      const required = secondFactorRequired(
        user.grants.map((g) => g.role),
        settings.requiredRoles,
      )
      if (required) return redirectWithFlash(PATH, { kind: 'error', message: 'twoFactor.remove.required' })
      await removeOwnFactor(db, request, actor, user.userId)
      return redirectWithFlash(PATH, { kind: 'success', message: 'twoFactor.remove.done' })
    }
    default:
      badRequest()
  }
}

export default function AccountTwoFactorPage() {
  const t = useT()
  const { status, required, fresh, reauthMinutes, enrolment } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting'
  return (
    <>
      <PageHeader
        title={t('twoFactor.account.title')}
        crumbs={[{ label: t('account.title'), to: '/account' }, { label: t('twoFactor.account.title') }]}
      />
      <div className="max-w-2xl space-y-6">
        {actionData?.recoveryCodes ? (
          <>
            {actionData.intent === 'confirm' ? <p className="font-medium">{t('twoFactor.enrol.done')}</p> : null}
            <RecoveryCodesPanel codes={actionData.recoveryCodes} />
          </>
        ) : null}

        <section className="card" aria-labelledby="two-factor-status">
          <h2 id="two-factor-status" className="text-lg">
            {t('twoFactor.account.status')}
          </h2>
          <p className="mt-2" data-testid="two-factor-state">
            {status.enrolled ? t('twoFactor.account.on', { since: t.dateTime(status.confirmedAt) }) : t('twoFactor.account.off')}
          </p>
          {status.enrolled ? (
            <p className="mt-1 text-sm text-slate-600">{t('twoFactor.account.codesLeft', { count: status.recoveryCodesLeft })}</p>
          ) : null}
          <p className="mt-1 text-sm text-slate-600">{required ? t('twoFactor.account.required') : t('twoFactor.account.optional')}</p>
        </section>

        {!fresh ? (
          <ReauthForm
            enrolled={status.enrolled}
            minutes={reauthMinutes}
            lastResult={actionData?.intent === 'reauth' ? actionData.result : undefined}
          />
        ) : enrolment ? (
          <section className="card" aria-labelledby="two-factor-enrol">
            <h2 id="two-factor-enrol" className="text-lg">
              {status.enrolled ? t('twoFactor.account.replace') : t('twoFactor.account.enable')}
            </h2>
            <div className="mt-3">
              <EnrolmentPanel
                enrolment={enrolment}
                lastResult={actionData?.intent === 'confirm' && actionData.result ? actionData.result : undefined}
              />
            </div>
          </section>
        ) : (
          <section className="card space-y-4" aria-labelledby="two-factor-actions">
            <h2 id="two-factor-actions" className="text-lg">
              {t('twoFactor.account.actions')}
            </h2>
            {status.enrolled ? null : <p className="text-sm text-slate-600">{t('twoFactor.enrol.apps')}</p>}
            <div className="flex flex-wrap gap-3">
              <Form method="post">
                <input type="hidden" name="intent" value="start" />
                <button type="submit" className="btn-primary" disabled={busy}>
                  {status.enrolled ? t('twoFactor.account.replace') : t('twoFactor.account.enable')}
                </button>
              </Form>
              {status.enrolled ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="regenerate" />
                  <button type="submit" className="btn-secondary" disabled={busy}>
                    {t('twoFactor.account.regenerate')}
                  </button>
                </Form>
              ) : null}
              {status.enrolled && !required ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="remove" />
                  <button type="submit" className="btn-secondary" disabled={busy}>
                    {t('twoFactor.account.remove')}
                  </button>
                </Form>
              ) : null}
            </div>
          </section>
        )}
      </div>
    </>
  )
}

type ReauthResult = NonNullable<ReturnType<typeof useActionData<typeof action>>>['result']

function ReauthForm({ enrolled, minutes, lastResult }: { enrolled: boolean; minutes: number; lastResult?: ReauthResult }) {
  const t = useT()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'reauthenticate',
    lastResult: lastResult ?? undefined,
    constraint: getZodConstraint(reauthSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: reauthSchema }),
    shouldRevalidate: 'onInput',
  })
  return (
    <section className="card" aria-labelledby="reauth-heading">
      <h2 id="reauth-heading" className="text-lg">
        {t('twoFactor.reauth.title')}
      </h2>
      <p className="mt-1 text-sm text-slate-600">{t('twoFactor.reauth.intro', { minutes })}</p>
      <Form method="post" {...getFormProps(form)} className="mt-3 space-y-4">
        <FormErrors errors={form.errors} />
        <input type="hidden" name="intent" value="reauth" />
        <TextField meta={fields.password} label={t('account.currentPassword')} type="password" autoComplete="current-password" required />
        {enrolled ? (
          <TextField
            meta={fields.code}
            label={t('twoFactor.codeOrRecovery')}
            hint={t('twoFactor.codeOrRecovery.hint')}
            autoComplete="one-time-code"
            required
          />
        ) : null}
        <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
          {t('twoFactor.reauth.submit')}
        </button>
      </Form>
    </section>
  )
}
