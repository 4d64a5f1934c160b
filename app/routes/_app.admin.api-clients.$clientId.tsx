import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { getEnv } from '#app/lib/env.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { badRequest, notFound } from '#app/lib/http.server.ts'
import { isId } from '#app/lib/ids.ts'
import { recordTitle } from '#app/lib/meta.ts'
import { clientCommandSchema, updateClientSchema, webhookUrlAllowed } from '#app/modules/api/client-form.ts'
import {
  getApiClient,
  rotateApiClientSecret,
  rotateWebhookSecret,
  setApiClientStatus,
  updateApiClient,
} from '#app/modules/api/clients.server.ts'
import { clientRegionOptions } from '#app/modules/api/regions.server.ts'
import { rememberIssuedSecrets, takeIssuedSecrets } from '#app/modules/api/secret-cookie.server.ts'
import { ClientFields } from '#app/modules/api/ui/client-fields.tsx'
import { IssuedSecretsPanel } from '#app/modules/api/ui/issued-secrets.tsx'
import { actorOf, requirePermission } from '#app/modules/auth/authz.server.ts'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => recordTitle(matches, data?.client.name ?? '')

// The page may carry a freshly issued secret: never cached.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, 'api:manage')
  if (!isId(params.clientId)) notFound()
  const db = getDb()
  const client = await getApiClient(db, params.clientId)
  if (!client) notFound()
  const { shown, setCookie } = await takeIssuedSecrets(request, client.id)
  const headers = new Headers()
  if (setCookie) headers.append('Set-Cookie', setCookie)
  return data({ client, issued: shown, regions: await clientRegionOptions(db) }, { headers })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, 'api:manage')
  if (!isId(params.clientId)) notFound()
  const clientId = params.clientId
  const db = getDb()
  if (!(await getApiClient(db, clientId))) notFound()
  const here = `/admin/api-clients/${clientId}`
  const formData = await request.formData()
  const record = { recordType: 'api_client', recordId: clientId }
  const stale = () => redirectWithFlash(here, { kind: 'error', message: 'form.staleVersion' })

  if (formData.get('intent') === 'update') {
    const submission = parseWithZod(formData, { schema: updateClientSchema })
    if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
    const { intent: _intent, version, ...input } = submission.value
    if (!(await clientRegionOptions(db)).some((r) => r.value === input.regionCode)) {
      return data({ result: submission.reply({ fieldErrors: { regionCode: ['validation.choice'] } }) }, { status: 400 })
    }
    if (!webhookUrlAllowed(input.webhookUrl, getEnv().NODE_ENV === 'production')) {
      return data({ result: submission.reply({ fieldErrors: { webhookUrl: ['api.form.webhookHttpsOnly'] } }) }, { status: 400 })
    }
    const updated = await updateApiClient(db, clientId, input, version)
    if (!updated.ok) return data({ result: submission.reply({ formErrors: ['form.staleVersion'] }) }, { status: 409 })
    await audit(db, request, actorOf(admin), {
      action: 'api_client.updated',
      ...record,
      detail: { before: updated.before, after: { ...input, webhookUrl: input.webhookUrl ?? null } },
    })
    const headers = updated.webhookSecret ? { 'Set-Cookie': await rememberIssuedSecrets(clientId, updated) } : undefined
    return redirectWithFlash(here, { kind: 'success', message: 'form.saved' }, { headers })
  }

  const command = clientCommandSchema.safeParse(Object.fromEntries(formData))
  if (!command.success) badRequest()
  const { intent, version } = command.data
  switch (intent) {
    case 'rotate-secret': {
      const rotated = await rotateApiClientSecret(db, clientId, version)
      if (!rotated.ok) return stale()
      await audit(db, request, actorOf(admin), { action: 'api_client.secret_rotated', ...record })
      const setCookie = await rememberIssuedSecrets(clientId, { secret: rotated.secret })
      return redirectWithFlash(here, { kind: 'success', message: 'api.rotated' }, { headers: { 'Set-Cookie': setCookie } })
    }
    case 'rotate-webhook-secret': {
      const rotated = await rotateWebhookSecret(db, clientId, version)
      if (!rotated.ok) return stale()
      await audit(db, request, actorOf(admin), { action: 'api_client.webhook_secret_rotated', ...record })
      const setCookie = await rememberIssuedSecrets(clientId, { webhookSecret: rotated.webhookSecret })
      return redirectWithFlash(here, { kind: 'success', message: 'api.webhookRotated' }, { headers: { 'Set-Cookie': setCookie } })
    }
    case 'disable':
    case 'enable': {
      const status = intent === 'disable' ? 'disabled' : 'active'
      if (!(await setApiClientStatus(db, clientId, status, version))) return stale()
      await audit(db, request, actorOf(admin), { action: `api_client.${intent}d`, ...record })
      return redirectWithFlash(here, { kind: 'success', message: intent === 'disable' ? 'api.disabledDone' : 'api.enabledDone' })
    }
  }
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>

export default function ApiClientPage() {
  const t = useT()
  const loaderData = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { client, issued } = loaderData
  return (
    <>
      <PageHeader title={client.name} crumbs={[{ label: t('api.clients.title'), to: '/admin/api-clients' }, { label: client.name }]} />
      {issued ? <IssuedSecretsPanel clientId={client.id} secret={issued.secret} webhookSecret={issued.webhookSecret} /> : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <CredentialsPanel client={client} />
        <EditForm key={actionData ? 'submitted' : `v${client.version}`} data={loaderData} />
      </div>
    </>
  )
}

function CommandButton({ intent, version, label, danger }: { intent: string; version: number; label: string; danger?: boolean }) {
  const navigation = useNavigation()
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="version" value={version} />
      <button type="submit" className={danger ? 'btn-danger' : 'btn-secondary'} disabled={navigation.state === 'submitting'}>
        {label}
      </button>
    </Form>
  )
}

function CredentialsPanel({ client }: { client: LoaderData['client'] }) {
  const t = useT()
  return (
    <section className="card space-y-4" aria-labelledby="credentials-heading">
      <h2 id="credentials-heading" className="text-lg">
        {t('api.detail.credentials')}
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
        <dt className="text-slate-600">{t('api.field.clientId')}</dt>
        <dd>
          <code className="break-all font-mono text-sm">{client.id}</code>
        </dd>
        <dt className="text-slate-600">{t('api.field.secretHint')}</dt>
        <dd>
          <code className="font-mono">…{client.secret_hint}</code>
        </dd>
        <dt className="text-slate-600">{t('common.status')}</dt>
        <dd data-testid="client-status">{t(`api.status.${client.status}`)}</dd>
        <dt className="text-slate-600">{t('api.field.webhookSecret')}</dt>
        <dd>{client.hasWebhookSecret ? t('api.detail.webhookSecretSet') : t('common.none')}</dd>
        <dt className="text-slate-600">{t('api.field.lastUsed')}</dt>
        <dd>{client.last_used_at ? t.dateTime(client.last_used_at) : t('api.never')}</dd>
        <dt className="text-slate-600">{t('api.detail.createdBy')}</dt>
        <dd>
          {t.dateTime(client.created_at)}
          {client.created_by_username ? ` · ${client.created_by_username}` : ''}
        </dd>
      </dl>
      <p className="text-sm text-slate-600">{t('api.detail.rotateHint')}</p>
      <div className="flex flex-wrap gap-3">
        <CommandButton intent="rotate-secret" version={client.version} label={t('api.detail.rotate')} />
        {client.webhook_url ? (
          <CommandButton intent="rotate-webhook-secret" version={client.version} label={t('api.detail.rotateWebhook')} />
        ) : null}
        {client.status === 'active' ? (
          <CommandButton intent="disable" version={client.version} label={t('api.detail.disable')} danger />
        ) : (
          <CommandButton intent="enable" version={client.version} label={t('api.detail.enable')} />
        )}
      </div>
    </section>
  )
}

function EditForm({ data: { client, regions } }: { data: LoaderData }) {
  const t = useT()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'edit-api-client',
    lastResult: actionData?.result,
    defaultValue: {
      intent: 'update',
      version: String(client.version),
      name: client.name,
      kind: client.kind,
      regionCode: client.region_code,
      scopes: client.scopes,
      rateLimitPerMinute: String(client.rate_limit_per_minute),
      webhookUrl: client.webhook_url ?? '',
    },
    constraint: getZodConstraint(updateClientSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: updateClientSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <Form method="post" {...getFormProps(form)} className="card space-y-5" aria-labelledby="edit-heading">
      <h2 id="edit-heading" className="text-lg">
        {t('api.detail.edit')}
      </h2>
      <FormErrors errors={form.errors} />
      <input {...getInputProps(fields.intent, { type: 'hidden' })} />
      <input {...getInputProps(fields.version, { type: 'hidden' })} />
      <ClientFields fields={fields} regions={regions} />
      <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
        {t('form.save')}
      </button>
    </Form>
  )
}
