import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, isRouteErrorResponse, useActionData, useLoaderData, useNavigation, useRouteError } from '@remix-run/react'
import type { ReactNode } from 'react'
import { ErrorPage } from '#app/components/error-page.tsx'
import { useT } from '#app/components/i18n.tsx'
import { PreferenceControls } from '#app/components/preference-controls.tsx'
import { FormErrors, TextField } from '#app/components/ui/form.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { PASSWORD_MIN, PRIVILEGED_PASSWORD_MIN, passwordProblem } from '#app/modules/auth/password-policy.ts'
import { hashPassword } from '#app/modules/auth/password.server.ts'
import { newPasswordSchema } from '#app/modules/auth/schemas.ts'
import { endAllSessions } from '#app/modules/auth/session.server.ts'
import { afterPassword, pathOf } from '#app/modules/auth/sign-in.server.ts'
import { type SetupTarget, completeSetup, findSetupTarget } from '#app/modules/auth/setup-tokens.server.ts'
import { clearFailures } from '#app/modules/auth/throttle.server.ts'
import { isPrivileged } from '#app/modules/users/grant-rules.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'auth.setup.title')

// The address holds a secret: never cached, never sent on as a Referer.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' })

/** Unknown, used, expired or disabled: one answer for all, so the page reveals nothing. */
function invalidLink(): never {
  throw data({ reason: 'invalid-link' }, { status: 404, headers: { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' } })
}

async function targetOf(token: string | undefined): Promise<SetupTarget> {
  const target = token ? await findSetupTarget(getDb(), token) : null
  return target ?? invalidLink()
}

export async function loader({ params }: LoaderFunctionArgs) {
  const target = await targetOf(params.token)
  return {
    username: target.username,
    purpose: target.purpose,
    passwordMin: isPrivileged(target.roles) ? PRIVILEGED_PASSWORD_MIN : PASSWORD_MIN,
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const target = await targetOf(params.token)
  const submission = parseWithZod(await request.formData(), { schema: newPasswordSchema })
  const hidden = ['password', 'confirm']
  if (submission.status !== 'success') return data(submission.reply({ hideFields: hidden }), { status: 400 })
  const problem = passwordProblem(submission.value.password, target.username, isPrivileged(target.roles))
  if (problem) return data(submission.reply({ fieldErrors: { password: [problem] }, hideFields: hidden }), { status: 400 })

  const db = getDb()
  const hash = await hashPassword(submission.value.password)
  // Only one use wins, even with two tabs open on the same link.
  if (!(await completeSetup(db, target, hash))) invalidLink()
  await endAllSessions(target.userId)
  await clearFailures(db, target.username)
  await db.updateTable('users').set({ last_sign_in_at: new Date().toISOString() }).where('id', '=', target.userId).execute()
  const actor = { userId: target.userId, username: target.username, roles: target.roles.join(',') || null, scope: null }
  await audit(db, request, actor, {
    action: 'auth.setup_completed',
    recordType: 'user',
    recordId: target.userId,
    detail: { purpose: target.purpose },
  })
  // A second factor (enrolled, or required by the role) is still asked for: the link proves the password only.
  const { setCookie, next } = await afterPassword(request, target.userId, target.username, '/')
  if (next !== 'session') throw redirect(pathOf(next), { headers: { 'Set-Cookie': setCookie } })
  return redirectWithFlash('/', { kind: 'success', message: 'auth.setup.done' }, { headers: { 'Set-Cookie': setCookie } })
}

export default function SetupPage() {
  const t = useT()
  const { username, purpose, passwordMin } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'setup',
    lastResult,
    constraint: getZodConstraint(newPasswordSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: newPasswordSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <SetupFrame>
      <h2 className="text-xl">{t(purpose === 'reset' ? 'auth.reset.title' : 'auth.setup.title')}</h2>
      <p className="mt-1 text-slate-700" data-testid="setup-intro">
        {t('auth.setup.intro', { username })}
      </p>
      <Form method="post" {...getFormProps(form)} className="mt-4 space-y-4">
        <FormErrors errors={form.errors} />
        {/* Lets password managers file the new password under the right account. */}
        <input type="text" name="username" value={username} autoComplete="username" readOnly hidden />
        <TextField
          meta={fields.password}
          label={t('auth.setup.password')}
          type="password"
          autoComplete="new-password"
          hint={t('auth.password.hint', { min: passwordMin })}
          required
        />
        <TextField meta={fields.confirm} label={t('auth.setup.confirm')} type="password" autoComplete="new-password" required />
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
          {t('auth.setup.submit')}
        </button>
      </Form>
    </SetupFrame>
  )
}

function SetupFrame({ children }: { children: ReactNode }) {
  const t = useT()
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-4 py-10">
      <div className="mb-6 flex justify-end">
        <PreferenceControls />
      </div>
      <h1 className="text-center text-3xl text-accent-800">{t('app.name')}</h1>
      <div className="card mt-8">{children}</div>
    </main>
  )
}

export function ErrorBoundary() {
  const t = useT()
  const error = useRouteError()
  if (!isRouteErrorResponse(error) || error.status !== 404) return <ErrorPage status={isRouteErrorResponse(error) ? error.status : 500} />
  return (
    <SetupFrame>
      <p className="text-sm font-medium text-slate-500">404</p>
      <h2 className="mt-1 text-xl">{t('auth.setup.invalidTitle')}</h2>
      <p className="mt-2 text-slate-700" data-testid="setup-invalid">
        {t('auth.setup.invalid')}
      </p>
      <p className="mt-6">
        <a href="/login" className="btn-secondary">
          {t('auth.signIn.title')}
        </a>
      </p>
    </SetupFrame>
  )
}
