import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors, TextField } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { badRequest } from '#app/lib/http.server.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { changePassword, endOwnSession, listSessions } from '#app/modules/auth/account.server.ts'
import { requireUser } from '#app/modules/auth/authz.server.ts'
import { describeGrants } from '#app/modules/auth/grants.server.ts'
import { PASSWORD_MIN, PRIVILEGED_PASSWORD_MIN } from '#app/modules/auth/password-policy.ts'
import { changePasswordSchema, endSessionSchema } from '#app/modules/auth/schemas.ts'
import { blankSessionCookie } from '#app/modules/auth/session.server.ts'
import { factorStatus } from '#app/modules/auth/two-factor.server.ts'
import { isPrivileged } from '#app/modules/users/grant-rules.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'account.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const roles = user.grants.map((g) => g.role)
  return {
    profile: { username: user.username, displayName: user.displayName },
    grants: await describeGrants(user.grants),
    passwordMin: isPrivileged(roles) ? PRIVILEGED_PASSWORD_MIN : PASSWORD_MIN,
    sessions: await listSessions(getDb(), user.userId, user.sessionHandle),
    twoFactor: await factorStatus(getDb(), user.userId),
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const formData = await request.formData()
  const intent = formData.get('intent')

  if (intent === 'change-password') {
    const submission = parseWithZod(formData, { schema: changePasswordSchema })
    const hidden = ['currentPassword', 'code', 'password', 'confirm']
    if (submission.status !== 'success') return data(submission.reply({ hideFields: hidden }), { status: 400 })
    const { currentPassword, password, code } = submission.value
    const result = await changePassword(request, user, currentPassword, password, code)
    if (!result.ok) {
      return data(submission.reply({ fieldErrors: { [result.field]: [result.message] }, hideFields: hidden }), {
        status: result.message.startsWith('auth.signIn.throttled') ? 429 : 400,
      })
    }
    return redirectWithFlash('/account', { kind: 'success', message: 'account.passwordChanged' })
  }

  if (intent === 'end-session') {
    const submission = parseWithZod(formData, { schema: endSessionSchema })
    if (submission.status !== 'success') badRequest()
    const ended = await endOwnSession(request, user, submission.value.handle)
    if (!ended) return redirectWithFlash('/account', { kind: 'error', message: 'account.sessions.gone' })
    // Ending the session in use is signing out.
    if (submission.value.handle === user.sessionHandle) {
      return redirectWithFlash('/login', { kind: 'info', message: 'flash.signedOut' }, { headers: { 'Set-Cookie': blankSessionCookie() } })
    }
    return redirectWithFlash('/account', { kind: 'success', message: 'account.sessions.ended' })
  }

  badRequest()
}

export default function AccountPage() {
  const t = useT()
  const { profile, grants, passwordMin, sessions, twoFactor } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader title={t('account.title')} crumbs={[{ label: t('account.title') }]} />
      <div className="grid gap-6 lg:grid-cols-2">
        <section className="card" aria-labelledby="profile-heading">
          <h2 id="profile-heading" className="text-lg">
            {t('account.profile')}
          </h2>
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
            <dt className="text-slate-600">{t('account.username')}</dt>
            <dd data-testid="account-username">{profile.username}</dd>
            <dt className="text-slate-600">{t('account.displayName')}</dt>
            <dd>{profile.displayName}</dd>
            <dt className="text-slate-600">{t('account.roles')}</dt>
            <dd>
              {grants.length === 0 ? (
                t('home.noRoles')
              ) : (
                <ul data-testid="account-grants">
                  {grants.map((g) => (
                    <li key={`${g.role}-${g.scopeName ?? ''}`}>
                      {t(`role.${g.role}` as MessageKey)}
                      {g.scopeName ? <span className="text-slate-600"> · {g.scopeName}</span> : null}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </dl>
          <p className="mt-4 text-sm text-slate-600">{t('account.rolesByAdmin')}</p>
        </section>
        <ChangePasswordForm passwordMin={passwordMin} codeNeeded={twoFactor.enrolled} />
        <section className="card" aria-labelledby="two-factor-heading">
          <h2 id="two-factor-heading" className="text-lg">
            {t('twoFactor.account.title')}
          </h2>
          <p className="mt-2" data-testid="account-two-factor">
            {twoFactor.enrolled ? t('twoFactor.account.on', { since: t.dateTime(twoFactor.confirmedAt) }) : t('twoFactor.account.off')}
          </p>
          <Link to="/account/two-factor" className="btn-secondary mt-3 inline-block">
            {t('twoFactor.account.manage')}
          </Link>
        </section>
      </div>
      <SessionList sessions={sessions} />
      {grants.some((g) => g.role === 'mediator') ? (
        <section className="card mt-6" aria-labelledby="directory-heading">
          <h2 id="directory-heading" className="text-lg">
            {t('directory.privacy.title')}
          </h2>
          <p className="mt-2">
            <Link to="/account/directory">{t('directory.privacy.link')}</Link>
          </p>
        </section>
      ) : null}
    </>
  )
}

function ChangePasswordForm({ passwordMin, codeNeeded }: { passwordMin: number; codeNeeded: boolean }) {
  const t = useT()
  const lastResult = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'change-password',
    lastResult,
    constraint: getZodConstraint(changePasswordSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: changePasswordSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <section className="card" aria-labelledby="password-heading">
      <h2 id="password-heading" className="text-lg">
        {t('account.changePassword')}
      </h2>
      <Form method="post" {...getFormProps(form)} className="mt-3 space-y-4">
        <FormErrors errors={form.errors} />
        <input type="hidden" name="intent" value="change-password" />
        <TextField
          meta={fields.currentPassword}
          label={t('account.currentPassword')}
          type="password"
          autoComplete="current-password"
          required
        />
        {codeNeeded ? (
          <TextField
            meta={fields.code}
            label={t('twoFactor.codeOrRecovery')}
            hint={t('twoFactor.codeOrRecovery.hint')}
            autoComplete="one-time-code"
            required
          />
        ) : null}
        <TextField
          meta={fields.password}
          label={t('account.newPassword')}
          type="password"
          autoComplete="new-password"
          hint={t('auth.password.hint', { min: passwordMin })}
          required
        />
        <TextField meta={fields.confirm} label={t('account.confirmPassword')} type="password" autoComplete="new-password" required />
        <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
          {t('account.changePassword')}
        </button>
      </Form>
    </section>
  )
}

type Sessions = ReturnType<typeof useLoaderData<typeof loader>>['sessions']

function SessionList({ sessions }: { sessions: Sessions }) {
  const t = useT()
  return (
    <section className="card mt-6" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading" className="text-lg">
        {t('account.sessions')}
      </h2>
      <p className="mt-1 text-sm text-slate-600">{t('account.sessions.intro')}</p>
      <ul className="mt-3 divide-y divide-slate-200" data-testid="session-list">
        {sessions.map((s) => (
          <li key={s.handle} className="flex flex-wrap items-center justify-between gap-3 py-3" data-current={s.current || undefined}>
            <div className="min-w-0">
              <p className="font-medium">
                {s.browser ?? t('account.sessions.unknownBrowser')}
                {s.current ? (
                  <span className="ml-2 rounded bg-accent-100 px-2 py-0.5 text-sm text-accent-800">{t('account.sessions.current')}</span>
                ) : null}
              </p>
              <p className="text-sm text-slate-600">
                {t('account.sessions.started')} {t.dateTime(s.createdAt)} · {t('account.sessions.lastUsed')} {t.dateTime(s.lastUsedAt)}
                {s.ip ? ` · ${t('account.sessions.address')} ${s.ip}` : ''}
              </p>
            </div>
            {s.current ? null : (
              <Form method="post">
                <input type="hidden" name="intent" value="end-session" />
                <input type="hidden" name="handle" value={s.handle} />
                <button type="submit" className="btn-secondary px-3 py-1 text-sm">
                  {t('account.sessions.end')}
                </button>
              </Form>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}
