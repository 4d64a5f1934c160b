import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { FlashMessage } from '#app/components/flash-message.tsx'
import { useT } from '#app/components/i18n.tsx'
import { PreferenceControls } from '#app/components/preference-controls.tsx'
import { FormErrors, TextField } from '#app/components/ui/form.tsx'
import { safeRedirectPath } from '#app/lib/http.server.ts'
import { messageRef } from '#app/lib/i18n.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { getOptionalUser } from '#app/modules/auth/authz.server.ts'
import { signInSchema } from '#app/modules/auth/schemas.ts'
import { pathOf, signIn } from '#app/modules/auth/sign-in.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'auth.signIn.title')

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getOptionalUser(request)) throw redirect('/')
  return null
}

export async function action({ request }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: signInSchema })
  if (submission.status !== 'success') {
    return data(submission.reply({ hideFields: ['password'] }), { status: 400 })
  }
  const redirectTo = safeRedirectPath(submission.value.redirectTo)
  const result = await signIn(request, submission.value.username, submission.value.password, redirectTo)
  if (!result.ok) {
    const message = result.error === 'auth.signIn.throttled' ? messageRef(result.error, { minutes: result.minutes }) : result.error
    return data(submission.reply({ formErrors: [message], hideFields: ['password'] }), {
      status: result.error === 'auth.signIn.failed' ? 400 : 429,
    })
  }
  // With a second factor (or a role that requires one) the password opens only the next step.
  throw redirect(result.next === 'session' ? redirectTo : pathOf(result.next), { headers: { 'Set-Cookie': result.setCookie } })
}

export default function LoginPage() {
  const t = useT()
  const lastResult = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'sign-in',
    lastResult,
    constraint: getZodConstraint(signInSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: signInSchema }),
    shouldRevalidate: 'onInput',
  })
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-4 py-10">
      <div className="mb-6 flex justify-end">
        <PreferenceControls />
      </div>
      <h1 className="text-center text-3xl text-accent-800">{t('app.name')}</h1>
      <p className="mt-2 text-center text-slate-600">{t('app.tagline')}</p>
      <div className="card mt-8">
        <h2 className="text-xl">{t('auth.signIn.title')}</h2>
        <p className="mt-1 text-sm text-slate-600">{t('auth.signIn.intro')}</p>
        <div className="mt-4">
          <FlashMessage />
          <FormErrors errors={form.errors} />
        </div>
        <Form method="post" {...getFormProps(form)} className="mt-2 space-y-4">
          <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? '/'} />
          <TextField meta={fields.username} label={t('auth.signIn.username')} autoComplete="username" required />
          <TextField meta={fields.password} label={t('auth.signIn.password')} type="password" autoComplete="current-password" required />
          <button type="submit" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
            {t('auth.signIn.submit')}
          </button>
        </Form>
      </div>
      <p className="mt-6 text-center">
        <Link to="/directory" data-testid="directory-link">
          {t('directory.link.login')}
        </Link>
      </p>
    </main>
  )
}
