import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors, SelectField, TextField } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { rememberSetupLink } from '#app/modules/auth/setup-link-cookie.server.ts'
import { GrantFields } from '#app/modules/users/grant-fields.tsx'
import { MAX_GRANTS, createUserSchema } from '#app/modules/users/schemas.ts'
import { createUser, scopeOptions } from '#app/modules/users/users.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'users.new.title')

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'user:manage')
  return { options: await scopeOptions(getDb()) }
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, 'user:manage')
  const submission = parseWithZod(await request.formData(), { schema: createUserSchema })
  // A list intent (add or remove a grant row without JavaScript) just re-renders the form.
  if (submission.status !== 'success') return data(submission.reply(), { status: submission.status === 'error' ? 400 : 200 })
  const result = await createUser(getDb(), request, admin, submission.value)
  if (!result.ok) {
    return data(submission.reply({ fieldErrors: result.fieldErrors, formErrors: result.formError ? [result.formError] : undefined }), {
      status: 400,
    })
  }
  const setCookie = await rememberSetupLink(result.userId, result.issued)
  return redirectWithFlash(
    `/admin/users/${result.userId}`,
    { kind: 'success', message: 'users.created' },
    { headers: { 'Set-Cookie': setCookie } },
  )
}

export default function NewUserPage() {
  const t = useT()
  const { options } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'new-user',
    lastResult,
    defaultValue: { grants: [{}] },
    constraint: getZodConstraint(createUserSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: createUserSchema }),
    // Selects: clear an error as soon as a choice is made, not on blur (which moves the buttons mid-click).
    shouldRevalidate: 'onInput',
  })
  const grants = fields.grants.getFieldList()
  return (
    <>
      <PageHeader
        title={t('users.new.title')}
        crumbs={[{ label: t('users.title'), to: '/admin/users' }, { label: t('users.new.title') }]}
      />
      <Form method="post" {...getFormProps(form)} className="card max-w-3xl">
        {/* The first submit button answers the Enter key: make it the real one, not "add a role". */}
        <button type="submit" className="sr-only" tabIndex={-1} aria-hidden="true" />
        <div className="space-y-5">
          <FormErrors errors={form.errors} />
          <p className="text-slate-700">{t('users.new.intro')}</p>
          <TextField
            meta={fields.username}
            label={t('users.field.username')}
            hint={t('users.field.usernameHint')}
            autoComplete="off"
            required
          />
          <TextField meta={fields.displayName} label={t('users.field.displayName')} autoComplete="off" required />
          <fieldset className="space-y-4">
            <legend className="label">{t('users.field.roles')}</legend>
            <FormErrors errors={fields.grants.errors} />
            {grants.map((grant, index) => (
              <div key={grant.key} className="rounded-md border border-slate-200 p-3" data-testid="grant-row">
                <GrantFields meta={grant} options={options} />
                {grants.length > 1 ? (
                  <button {...form.remove.getButtonProps({ name: fields.grants.name, index })} className="btn-link mt-2 text-sm">
                    {t('users.grant.removeRow')}
                  </button>
                ) : null}
              </div>
            ))}
            {grants.length < MAX_GRANTS ? (
              <button {...form.insert.getButtonProps({ name: fields.grants.name, defaultValue: {} })} className="btn-secondary">
                {t('users.grant.addRow')}
              </button>
            ) : null}
          </fieldset>
          <SelectField
            meta={fields.personId}
            label={t('users.field.person')}
            hint={t('users.field.personHint')}
            placeholder={t('users.field.noPerson')}
            options={options.people.map((p) => ({ value: p.id, label: p.orgName ? `${p.name} · ${p.orgName}` : p.name }))}
          />
          <div className="flex flex-wrap gap-3">
            <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
              {t('users.new.submit')}
            </button>
            <Link to="/admin/users" className="btn-secondary">
              {t('form.cancel')}
            </Link>
          </div>
        </div>
      </Form>
    </>
  )
}
