import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { getEnv } from '#app/lib/env.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { createClientSchema, webhookUrlAllowed } from '#app/modules/api/client-form.ts'
import { createApiClient } from '#app/modules/api/clients.server.ts'
import { DEFAULT_RATE_LIMIT } from '#app/modules/api/model.ts'
import { clientRegionOptions } from '#app/modules/api/regions.server.ts'
import { rememberIssuedSecrets } from '#app/modules/api/secret-cookie.server.ts'
import { ClientFields } from '#app/modules/api/ui/client-fields.tsx'
import { actorOf, requirePermission } from '#app/modules/auth/authz.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'api.new.title')

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'api:manage')
  return { regions: await clientRegionOptions(getDb()) }
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, 'api:manage')
  const submission = parseWithZod(await request.formData(), { schema: createClientSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const db = getDb()
  const input = submission.value
  const regions = await clientRegionOptions(db)
  if (!regions.some((r) => r.value === input.regionCode)) {
    return data(submission.reply({ fieldErrors: { regionCode: ['validation.choice'] } }), { status: 400 })
  }
  if (!webhookUrlAllowed(input.webhookUrl, getEnv().NODE_ENV === 'production')) {
    return data(submission.reply({ fieldErrors: { webhookUrl: ['api.form.webhookHttpsOnly'] } }), { status: 400 })
  }
  const created = await createApiClient(db, input, admin.userId)
  await audit(db, request, actorOf(admin), {
    action: 'api_client.created',
    recordType: 'api_client',
    recordId: created.id,
    detail: {
      name: input.name,
      kind: input.kind,
      regionCode: input.regionCode,
      scopes: input.scopes,
      rateLimitPerMinute: input.rateLimitPerMinute,
      webhookUrl: input.webhookUrl ?? null,
    },
  })
  const setCookie = await rememberIssuedSecrets(created.id, created)
  return redirectWithFlash(
    `/admin/api-clients/${created.id}`,
    { kind: 'success', message: 'api.created' },
    { headers: { 'Set-Cookie': setCookie } },
  )
}

export default function NewApiClientPage() {
  const t = useT()
  const { regions } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'new-api-client',
    lastResult,
    defaultValue: { rateLimitPerMinute: String(DEFAULT_RATE_LIMIT), scopes: ['organisations:read', 'mediators:read', 'experts:read'] },
    constraint: getZodConstraint(createClientSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: createClientSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <>
      <PageHeader
        title={t('api.new.title')}
        crumbs={[{ label: t('api.clients.title'), to: '/admin/api-clients' }, { label: t('api.new.title') }]}
      />
      <Form method="post" {...getFormProps(form)} className="card max-w-3xl space-y-5">
        <FormErrors errors={form.errors} />
        <p className="text-slate-700">{t('api.new.intro')}</p>
        <ClientFields fields={fields} regions={regions} />
        <div className="flex flex-wrap gap-3">
          <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
            {t('api.new.submit')}
          </button>
          <Link to="/admin/api-clients" className="btn-secondary">
            {t('form.cancel')}
          </Link>
        </div>
      </Form>
    </>
  )
}
