import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors, TextField } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { badRequest } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { actorOf, requirePermission } from '#app/modules/auth/authz.server.ts'
import { registeredSetting, SETTING_AREAS } from '#app/modules/settings/registry.server.ts'
import { settingFormSchema, settingKeySchema } from '#app/modules/settings/schemas.ts'
import { listSettings, type SettingView, updateSetting } from '#app/modules/settings/settings.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'settings.title')

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'settings:manage')
  const settings = await listSettings(getDb())
  return {
    areas: SETTING_AREAS.map((area) => ({ area, settings: settings.filter((s) => s.area === area) })).filter((a) => a.settings.length),
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'settings:manage')
  const formData = await request.formData()
  const which = settingKeySchema.safeParse({ key: formData.get('key') })
  const setting = which.success ? registeredSetting(which.data.key) : undefined
  if (!setting || !setting.editable) badRequest()
  const submission = parseWithZod(formData, { schema: settingFormSchema(setting.definition) })
  const key = setting.definition.key
  if (submission.status !== 'success') return data({ key, result: submission.reply() }, { status: 400 })
  const outcome = await updateSetting(
    getDb(),
    { request, actor: actorOf(user), userId: user.userId },
    setting,
    submission.value.value,
    submission.value.version,
  )
  if (outcome === 'stale') return data({ key, result: submission.reply({ formErrors: ['form.staleVersion'] }) }, { status: 409 })
  return redirectWithFlash('/admin/settings', { kind: 'success', message: 'settings.updated' })
}

function SettingForm({ setting, lastResult }: { setting: SettingView; lastResult: SubmissionResult<string[]> | undefined }) {
  const t = useT()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: `setting-${setting.key}`,
    lastResult,
    defaultValue: { key: setting.key, version: String(setting.version), value: setting.value },
    shouldRevalidate: 'onBlur',
  })
  const busy = navigation.state === 'submitting' && navigation.formData?.get('key') === setting.key
  return (
    <Form method="post" {...getFormProps(form)} className="mt-3">
      <FormErrors errors={form.errors} />
      <input {...getInputProps(fields.key, { type: 'hidden' })} />
      <input {...getInputProps(fields.version, { type: 'hidden' })} />
      <div className="flex flex-wrap items-end gap-3">
        <TextField
          meta={fields.value}
          label={t('settings.newValue')}
          inputMode={setting.input === 'integer' ? 'numeric' : 'text'}
          required
          className="w-full max-w-xs"
        />
        <button type="submit" className="btn-primary mb-1" disabled={busy}>
          {t('settings.save')}
        </button>
      </div>
    </Form>
  )
}

function SettingItem({ setting, lastResult }: { setting: SettingView; lastResult: SubmissionResult<string[]> | undefined }) {
  const t = useT()
  return (
    <li className="py-4" data-testid={`setting-${setting.key}`}>
      <h3 className="font-semibold">{t(setting.label)}</h3>
      <p className="text-sm text-slate-600">{t(setting.help)}</p>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-600">{t('settings.current')}</dt>
        <dd className="break-all font-mono" data-testid="setting-value">
          {setting.value}
          {setting.isDefault ? <span className="ml-2 font-sans text-slate-600">{t('settings.isDefault')}</span> : null}
        </dd>
        <dt className="text-slate-600">{t('settings.default')}</dt>
        <dd className="break-all font-mono">{setting.fallback}</dd>
        {setting.updatedAt ? (
          <>
            <dt className="text-slate-600">{t('settings.updatedAt')}</dt>
            <dd>
              {t.dateTime(setting.updatedAt)}
              {setting.updatedBy ? ` · ${setting.updatedBy}` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      {setting.editable ? (
        <SettingForm key={`${setting.key}-${setting.version}`} setting={setting} lastResult={lastResult} />
      ) : (
        <p className="mt-2 text-sm text-slate-600">{t('settings.readOnly')}</p>
      )}
    </li>
  )
}

export default function SettingsPage() {
  const t = useT()
  const { areas } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <>
      <PageHeader title={t('settings.title')} crumbs={[{ label: t('settings.title') }]} />
      <p className="mb-4 text-slate-700">{t('settings.intro')}</p>
      {areas.map(({ area, settings }) => (
        <section key={area} className="card mb-6" aria-labelledby={`settings-${area}`}>
          <h2 id={`settings-${area}`} className="text-lg">
            {t(`settings.area.${area}`)}
          </h2>
          <ul className="divide-y divide-slate-200">
            {settings.map((s) => (
              <SettingItem key={s.key} setting={s} lastResult={actionData?.key === s.key ? actionData.result : undefined} />
            ))}
          </ul>
        </section>
      ))}
    </>
  )
}
