import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useState } from 'react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors, SelectField, TextField } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { badRequest, notFound } from '#app/lib/http.server.ts'
import { isId } from '#app/lib/ids.ts'
import { type MessageKey, isMessageKey } from '#app/lib/i18n.ts'
import { recordTitle } from '#app/lib/meta.ts'
import { actorOf, may, requirePermission } from '#app/modules/auth/authz.server.ts'
import { rememberSetupLink, takeSetupLink } from '#app/modules/auth/setup-link-cookie.server.ts'
import { factorStatus, resetFactor } from '#app/modules/auth/two-factor.server.ts'
import { GrantFields } from '#app/modules/users/grant-fields.tsx'
import { removesOwnLastAdmin } from '#app/modules/users/grant-rules.ts'
import { addGrantSchema, removeGrantSchema, setStatusSchema, updateProfileSchema } from '#app/modules/users/schemas.ts'
import {
  addGrant,
  endUserSessions,
  getUserDetail,
  issueLink,
  removeGrant,
  scopeOptions,
  setStatus,
  updateProfile,
} from '#app/modules/users/users.server.ts'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => recordTitle(matches, data?.user.username ?? '')

// The page may carry a freshly issued set-up link: never cached.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, 'user:manage')
  if (!isId(params.userId)) notFound()
  const db = getDb()
  const user = await getUserDetail(db, params.userId)
  if (!user) notFound()
  const { shown, setCookie } = await takeSetupLink(request, user.id)
  const headers = new Headers()
  if (setCookie) headers.append('Set-Cookie', setCookie)
  return data(
    {
      user,
      self: user.id === admin.userId,
      removable: Object.fromEntries(user.grants.map((g) => [g.id, !removesOwnLastAdmin(admin.userId, user.id, user.grants, g.id)])),
      mayEndSessions: may(admin, 'session:manage'),
      options: await scopeOptions(db, user.id),
      setupLink: shown,
      twoFactor: await factorStatus(db, user.id),
    },
    { headers },
  )
}

function flashError(to: string, message: string | undefined) {
  const key = message && isMessageKey(message) ? message : 'validation.invalid'
  return redirectWithFlash(to, { kind: 'error', message: key })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, 'user:manage')
  if (!isId(params.userId)) notFound()
  const userId = params.userId
  const db = getDb()
  if (!(await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst())) notFound()
  const here = `/admin/users/${userId}`
  const formData = await request.formData()
  const intent = formData.get('intent')

  switch (intent) {
    case 'update-profile': {
      const submission = parseWithZod(formData, { schema: updateProfileSchema })
      if (submission.status !== 'success') return data({ intent, result: submission.reply() }, { status: 400 })
      const result = await updateProfile(db, request, admin, userId, submission.value)
      if (!result.ok) {
        const reply = submission.reply({ fieldErrors: result.fieldErrors, formErrors: result.formError ? [result.formError] : undefined })
        return data({ intent, result: reply }, { status: result.formError === 'form.staleVersion' ? 409 : 400 })
      }
      return redirectWithFlash(here, { kind: 'success', message: 'form.saved' })
    }
    case 'add-grant': {
      const submission = parseWithZod(formData, { schema: addGrantSchema })
      if (submission.status !== 'success') return data({ intent, result: submission.reply() }, { status: 400 })
      const result = await addGrant(db, request, admin, userId, submission.value.grant)
      if (!result.ok) return data({ intent, result: submission.reply({ fieldErrors: result.fieldErrors }) }, { status: 400 })
      return redirectWithFlash(here, { kind: 'success', message: 'users.grant.added' })
    }
    case 'remove-grant': {
      const submission = parseWithZod(formData, { schema: removeGrantSchema })
      if (submission.status !== 'success') badRequest()
      const result = await removeGrant(db, request, admin, userId, submission.value.grantId)
      if (!result.ok) return flashError(here, result.formError)
      return redirectWithFlash(here, { kind: 'success', message: 'users.grant.removed' })
    }
    case 'disable':
    case 'enable': {
      const submission = parseWithZod(formData, { schema: setStatusSchema })
      if (submission.status !== 'success') badRequest()
      const status = submission.value.intent === 'disable' ? 'disabled' : 'active'
      const result = await setStatus(db, request, admin, userId, status, submission.value.version)
      if (!result.ok) return flashError(here, result.formError)
      return redirectWithFlash(here, {
        kind: 'success',
        message: status === 'disabled' ? 'users.status.disabledDone' : 'users.status.enabledDone',
      })
    }
    case 'issue-link': {
      const result = await issueLink(db, request, admin, userId)
      if (!result.ok) return flashError(here, result.formError)
      const setCookie = await rememberSetupLink(userId, result.issued)
      return redirectWithFlash(here, { kind: 'success', message: 'users.link.issued' }, { headers: { 'Set-Cookie': setCookie } })
    }
    case 'reset-two-factor': {
      // Their own factor an administrator changes on the account page, after re-authentication.
      if (userId === admin.userId) badRequest()
      const had = await resetFactor(db, request, actorOf(admin), userId)
      if (!had) return flashError(here, 'twoFactor.admin.none')
      return redirectWithFlash(here, { kind: 'success', message: 'twoFactor.admin.resetDone' })
    }
    case 'end-sessions': {
      if (!may(admin, 'session:manage')) badRequest()
      const count = await endUserSessions(db, request, admin, userId)
      return redirectWithFlash(here, { kind: 'success', message: 'users.sessions.endedAll', params: { count } })
    }
    default:
      badRequest()
  }
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>

export default function UserPage() {
  const t = useT()
  const loaderData = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { user } = loaderData
  // A form starts afresh from the record after a save (new version, new grants); after a refused
  // submission it keeps what the user typed, and the version they started from.
  const submitted = (intent: string) => actionData?.intent === intent
  return (
    <>
      <PageHeader
        title={`${user.displayName}（${user.username}）`}
        crumbs={[{ label: t('users.title'), to: '/admin/users' }, { label: user.username }]}
      />
      {loaderData.setupLink ? <SetupLinkPanel link={loaderData.setupLink} /> : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <ProfileForm key={submitted('update-profile') ? 'submitted' : `v${user.version}`} data={loaderData} />
        <SignInPanel data={loaderData} />
      </div>
      <GrantsPanel key={submitted('add-grant') ? 'submitted' : user.grants.map((g) => g.id).join()} data={loaderData} />
    </>
  )
}

function SetupLinkPanel({ link }: { link: NonNullable<LoaderData['setupLink']> }) {
  const t = useT()
  const [copied, setCopied] = useState(false)
  return (
    <section className="card mb-6 border-l-4 border-accent-600" aria-labelledby="link-heading">
      <h2 id="link-heading" className="text-lg">
        {t(link.purpose === 'reset' ? 'users.link.resetHeading' : 'users.link.setupHeading')}
      </h2>
      <p className="mt-1 text-slate-700">{t('users.link.instructions', { expires: t.dateTime(link.expiresAt) })}</p>
      <div className="mt-3 flex flex-col gap-2 sm:flex-row">
        <label htmlFor="setup-link" className="sr-only">
          {t('users.link.label')}
        </label>
        <input
          id="setup-link"
          className="input font-mono text-sm"
          readOnly
          value={link.link}
          data-testid="setup-link"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button
          type="button"
          className="btn-secondary whitespace-nowrap"
          onClick={() => {
            void navigator.clipboard?.writeText(link.link).then(() => setCopied(true))
          }}
        >
          {copied ? t('users.link.copied') : t('users.link.copy')}
        </button>
      </div>
      <p className="mt-2 text-sm text-slate-600">{t('users.link.onceOnly')}</p>
    </section>
  )
}

function ProfileForm({ data: { user } }: { data: LoaderData }) {
  const t = useT()
  const actionData = useActionData<typeof action>()
  const options = useLoaderData<typeof loader>().options
  const [form, fields] = useForm({
    id: 'profile',
    lastResult: actionData?.intent === 'update-profile' ? actionData.result : undefined,
    defaultValue: { displayName: user.displayName, personId: user.personId ?? '', version: String(user.version) },
    constraint: getZodConstraint(updateProfileSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: updateProfileSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <section className="card" aria-labelledby="profile-heading">
      <h2 id="profile-heading" className="text-lg">
        {t('users.profile')}
      </h2>
      <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-600">{t('users.field.username')}</dt>
        <dd data-testid="user-username">{user.username}</dd>
        <dt className="text-slate-600">{t('common.status')}</dt>
        <dd data-testid="user-status">{t(`users.status.${user.status}`)}</dd>
        <dt className="text-slate-600">{t('common.createdAt')}</dt>
        <dd>{t.dateTime(user.createdAt)}</dd>
      </dl>
      <Form method="post" {...getFormProps(form)} className="mt-4 space-y-4">
        <FormErrors errors={form.errors}>
          {form.errors?.includes('form.staleVersion') ? (
            <a href={`/admin/users/${user.id}`} className="mt-2 inline-block">
              {t('form.reload')}
            </a>
          ) : null}
        </FormErrors>
        <input type="hidden" name="intent" value="update-profile" />
        <input type="hidden" name={fields.version.name} value={String(fields.version.initialValue ?? user.version)} />
        <TextField meta={fields.displayName} label={t('users.field.displayName')} required />
        <SelectField
          meta={fields.personId}
          label={t('users.field.person')}
          hint={t('users.field.personHint')}
          placeholder={t('users.field.noPerson')}
          options={options.people.map((p) => ({ value: p.id, label: p.orgName ? `${p.name} · ${p.orgName}` : p.name }))}
        />
        <button type="submit" className="btn-primary">
          {t('form.save')}
        </button>
      </Form>
    </section>
  )
}

function SignInPanel({ data: { user, self, mayEndSessions, twoFactor } }: { data: LoaderData }) {
  const t = useT()
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting'
  return (
    <section className="card space-y-4" aria-labelledby="signin-heading">
      <h2 id="signin-heading" className="text-lg">
        {t('users.signIn')}
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-600">{t('users.field.password')}</dt>
        <dd>{user.hasPassword ? t('users.password.set', { at: t.dateTime(user.passwordChangedAt) }) : t('users.status.awaitingSetup')}</dd>
        <dt className="text-slate-600">{t('users.field.lastSignIn')}</dt>
        <dd>{user.lastSignInAt ? t.dateTime(user.lastSignInAt) : t('users.never')}</dd>
        <dt className="text-slate-600">{t('users.field.pendingLink')}</dt>
        <dd>{user.pendingLink ? t('users.link.pending', { expires: t.dateTime(user.pendingLink.expiresAt) }) : t('common.none')}</dd>
        <dt className="text-slate-600">{t('users.field.sessions')}</dt>
        <dd data-testid="user-sessions">{t.number(user.activeSessions)}</dd>
        <dt className="text-slate-600">{t('twoFactor.account.title')}</dt>
        <dd data-testid="user-two-factor">
          {twoFactor.enrolled ? t('twoFactor.account.on', { since: t.dateTime(twoFactor.confirmedAt) }) : t('twoFactor.account.off')}
        </dd>
      </dl>
      <div className="flex flex-wrap gap-2">
        {user.status === 'active' ? (
          <Form method="post">
            <input type="hidden" name="intent" value="issue-link" />
            <button type="submit" className="btn-secondary" disabled={busy}>
              {t(user.hasPassword ? 'users.link.issueReset' : 'users.link.issueSetup')}
            </button>
          </Form>
        ) : null}
        {twoFactor.enrolled && !self ? (
          <Form method="post">
            <input type="hidden" name="intent" value="reset-two-factor" />
            <button type="submit" className="btn-secondary" disabled={busy}>
              {t('twoFactor.admin.reset')}
            </button>
          </Form>
        ) : null}
        {mayEndSessions && user.activeSessions > 0 ? (
          <Form method="post">
            <input type="hidden" name="intent" value="end-sessions" />
            <button type="submit" className="btn-secondary" disabled={busy}>
              {t('users.sessions.endAll')}
            </button>
          </Form>
        ) : null}
        {user.status === 'active' && !self ? (
          <Form method="post">
            <input type="hidden" name="intent" value="disable" />
            <input type="hidden" name="version" value={String(user.version)} />
            <button type="submit" className="btn-danger" disabled={busy}>
              {t('users.status.disable')}
            </button>
          </Form>
        ) : null}
        {user.status === 'disabled' ? (
          <Form method="post">
            <input type="hidden" name="intent" value="enable" />
            <input type="hidden" name="version" value={String(user.version)} />
            <button type="submit" className="btn-primary" disabled={busy}>
              {t('users.status.enable')}
            </button>
          </Form>
        ) : null}
      </div>
      {user.status === 'active' && !self ? <p className="text-sm text-slate-600">{t('users.status.disableHint')}</p> : null}
    </section>
  )
}

function GrantsPanel({ data: { user, removable, options } }: { data: LoaderData }) {
  const t = useT()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'add-grant',
    lastResult: actionData?.intent === 'add-grant' ? actionData.result : undefined,
    constraint: getZodConstraint(addGrantSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: addGrantSchema }),
    // Selects: clear an error as soon as a choice is made, not on blur (which moves the buttons mid-click).
    shouldRevalidate: 'onInput',
  })
  return (
    <section className="card mt-6" aria-labelledby="grants-heading">
      <h2 id="grants-heading" className="text-lg">
        {t('users.field.roles')}
      </h2>
      {user.grants.length === 0 ? (
        <p className="mt-2 text-slate-700">{t('users.grant.none')}</p>
      ) : (
        <ul className="mt-2 divide-y divide-slate-200" data-testid="user-grants">
          {user.grants.map((g) => (
            <li key={g.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <span>
                {t(`role.${g.role}` as MessageKey)}
                {g.scopeName ? <span className="text-slate-600"> · {g.scopeName}</span> : null}
              </span>
              {removable[g.id] ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="remove-grant" />
                  <input type="hidden" name="grantId" value={g.id} />
                  <button type="submit" className="btn-link text-sm text-red-800">
                    {t('users.grant.remove')}
                  </button>
                </Form>
              ) : (
                <span className="text-sm text-slate-600">{t('users.grant.ownLastAdminShort')}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      <Form method="post" {...getFormProps(form)} className="mt-4 space-y-3 border-t border-slate-200 pt-4">
        <h3 className="font-semibold">{t('users.grant.add')}</h3>
        <FormErrors errors={form.errors} />
        <input type="hidden" name="intent" value="add-grant" />
        <GrantFields meta={fields.grant} options={options} />
        <button type="submit" className="btn-secondary">
          {t('users.grant.add')}
        </button>
      </Form>
    </section>
  )
}
