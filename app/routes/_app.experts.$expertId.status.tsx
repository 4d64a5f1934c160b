import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors, SelectField, TextareaField } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requireUser } from '#app/modules/auth/authz.server.ts'
import { requireExpert } from '#app/modules/experts/access.server.ts'
import { statusLabel } from '#app/modules/experts/labels.ts'
import { changeExpertStatus } from '#app/modules/experts/lifecycle.server.ts'
import { STATUS_TRANSITIONS } from '#app/modules/experts/rules.ts'
import { statusChangeSchema } from '#app/modules/experts/schemas.ts'
import { postedVersion } from '#app/modules/experts/ui/expert-form.tsx'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'experts.status.title')

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const handle = await requireExpert(request, user, params.expertId ?? '', 'edit')
  const expert = await getDb().selectFrom('experts').select(['name']).where('person_id', '=', handle.personId).executeTakeFirstOrThrow()
  return {
    personId: handle.personId,
    name: expert.name,
    status: handle.status,
    version: handle.version,
    targets: STATUS_TRANSITIONS[handle.status],
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const handle = await requireExpert(request, user, params.expertId ?? '', 'edit')
  const submission = parseWithZod(await request.formData(), { schema: statusChangeSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const outcome = await changeExpertStatus(getDb(), request, user, handle.personId, submission.value)
  if (!outcome.ok) {
    return data(submission.reply({ fieldErrors: outcome.fieldErrors, formErrors: outcome.formErrors }), {
      status: outcome.stale ? 409 : 400,
    })
  }
  return redirectWithFlash(`/experts/${handle.personId}`, { kind: 'success', message: 'experts.status.saved' })
}

export default function ChangeStatus() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'expert-status',
    lastResult,
    constraint: getZodConstraint(statusChangeSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: statusChangeSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  return (
    <>
      <PageHeader
        title={t('experts.status.title')}
        crumbs={[
          { label: t('experts.title'), to: '/experts' },
          { label: data.name, to: `/experts/${data.personId}` },
          { label: t('experts.status.title') },
        ]}
      />
      <div className="card max-w-2xl">
        <p className="mb-4">{t('experts.status.current', { status: t(statusLabel(data.status)) })}</p>
        {data.targets.length === 0 ? (
          <p>{t('experts.status.final')}</p>
        ) : (
          <Form method="post" {...getFormProps(form)} className="space-y-4">
            <FormErrors errors={form.errors} />
            <input type="hidden" name="version" value={postedVersion(lastResult ?? undefined) ?? data.version} />
            <SelectField
              meta={fields.status}
              label={t('experts.status.to')}
              required
              placeholder={t('experts.choose')}
              options={data.targets.map((s) => ({ value: s, label: t(statusLabel(s)) }))}
            />
            <TextareaField meta={fields.reason} label={t('experts.status.reason')} required rows={3} />
            <div className="flex flex-wrap gap-3">
              <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
                {t('experts.status.submit')}
              </button>
              <Link to={`/experts/${data.personId}`} className="btn-secondary">
                {t('form.cancel')}
              </Link>
            </div>
          </Form>
        )}
      </div>
    </>
  )
}
