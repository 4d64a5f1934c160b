import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { parseWithZod } from '@conform-to/zod'
import { useT } from '#app/components/i18n.tsx'
import { PreferenceControls } from '#app/components/preference-controls.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { badRequest, safeRedirectPath } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { getOptionalUser } from '#app/modules/auth/authz.server.ts'
import { clearPendingCookie } from '#app/modules/auth/pending-sign-in.server.ts'
import { ENROL_PATH, completeEnrolment, pendingSignIn } from '#app/modules/auth/sign-in.server.ts'
import { confirmEnrolmentSchema } from '#app/modules/auth/two-factor-schemas.ts'
import { EnrolmentPanel, RecoveryCodesPanel } from '#app/modules/auth/two-factor-ui.tsx'
import { enrolmentDetails, startEnrolment } from '#app/modules/auth/two-factor.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'twoFactor.required.title')

async function backToLogin() {
  return redirectWithFlash(
    '/login',
    { kind: 'error', message: 'twoFactor.pendingExpired' },
    { headers: { 'Set-Cookie': await clearPendingCookie() } },
  )
}

/**
 * Enrolment that a role requires, between the password and the session: reachable only with a
 * pending sign-in of purpose "enrol", which opens nothing else. After confirmation the page stays
 * (now signed in) to show the recovery codes once.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const pending = await pendingSignIn(request)
  if (!pending || pending.purpose !== 'enrol') {
    if (await getOptionalUser(request)) return { mode: 'done' as const, enrolment: null }
    throw await backToLogin()
  }
  return { mode: 'enrol' as const, enrolment: await enrolmentDetails(getDb(), pending.userId, pending.username) }
}

export async function action({ request }: ActionFunctionArgs) {
  const pending = await pendingSignIn(request)
  if (!pending || pending.purpose !== 'enrol') throw await backToLogin()
  const formData = await request.formData()
  const intent = formData.get('intent')
  if (intent === 'start') {
    await startEnrolment(getDb(), pending.userId)
    throw redirect(ENROL_PATH)
  }
  if (intent !== 'confirm') badRequest()
  const submission = parseWithZod(formData, { schema: confirmEnrolmentSchema })
  if (submission.status !== 'success') return data({ result: submission.reply(), recoveryCodes: null, continueTo: null }, { status: 400 })
  const result = await completeEnrolment(request, pending, submission.value.code)
  if (!result.ok) {
    if (result.error === 'twoFactor.pendingExpired') throw await backToLogin()
    return data(
      { result: submission.reply({ fieldErrors: { code: [result.error] }, hideFields: ['code'] }), recoveryCodes: null, continueTo: null },
      { status: 400 },
    )
  }
  const headers = new Headers()
  for (const cookie of result.setCookies) headers.append('Set-Cookie', cookie)
  // Signed in now; the answer (not a redirect) carries the recovery codes, which are never stored readable.
  return data(
    { result: submission.reply({ resetForm: true }), recoveryCodes: result.recoveryCodes, continueTo: safeRedirectPath(result.redirectTo) },
    { headers },
  )
}

export default function RequiredEnrolmentPage() {
  const t = useT()
  const { mode, enrolment } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-4 py-10">
      <div className="mb-6 flex justify-end">
        <PreferenceControls />
      </div>
      <h1 className="text-center text-3xl text-accent-800">{t('app.name')}</h1>
      <div className="card mt-8 space-y-4">
        <h2 className="text-xl">{t('twoFactor.required.title')}</h2>
        {actionData?.recoveryCodes ? (
          <>
            <p className="font-medium">{t('twoFactor.enrol.done')}</p>
            <RecoveryCodesPanel codes={actionData.recoveryCodes} />
            <Link to={actionData.continueTo ?? '/'} className="btn-primary inline-block w-full text-center">
              {t('twoFactor.enrol.continue')}
            </Link>
          </>
        ) : mode === 'done' ? (
          <Link to="/" className="btn-primary inline-block w-full text-center">
            {t('twoFactor.enrol.continue')}
          </Link>
        ) : enrolment ? (
          <>
            <p className="text-sm text-slate-600">{t('twoFactor.required.intro')}</p>
            <EnrolmentPanel enrolment={enrolment} lastResult={actionData?.result} />
          </>
        ) : (
          <>
            <p>{t('twoFactor.required.intro')}</p>
            <p className="text-sm text-slate-600">{t('twoFactor.enrol.apps')}</p>
            <Form method="post">
              <input type="hidden" name="intent" value="start" />
              <button type="submit" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
                {t('twoFactor.enrol.start')}
              </button>
            </Form>
          </>
        )}
        {mode === 'enrol' && !actionData?.recoveryCodes ? (
          <p className="text-sm">
            <Link to="/login" className="text-accent-800 underline">
              {t('twoFactor.startOver')}
            </Link>
          </p>
        ) : null}
      </div>
    </main>
  )
}
