import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors, TextareaField } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requireUser } from '#app/modules/auth/authz.server.ts'
import { requireExpert } from '#app/modules/experts/access.server.ts'
import { tierLabel } from '#app/modules/experts/labels.ts'
import { recommendExpert } from '#app/modules/experts/lifecycle.server.ts'
import { recommendationTarget } from '#app/modules/experts/model.ts'
import { regionChain } from '#app/modules/experts/queries.server.ts'
import { recommendSchema } from '#app/modules/experts/schemas.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'experts.recommend.title')

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const handle = await requireExpert(request, user, params.expertId ?? '', 'recommend')
  const db = getDb()
  const expert = await db.selectFrom('experts').select('name').where('person_id', '=', handle.personId).executeTakeFirstOrThrow()
  const target = recommendationTarget(handle.tier, handle.regionCode ? await regionChain(db, handle.regionCode) : [])
  const targetRegion = target?.regionCode
    ? await db.selectFrom('regions').select('name').where('code', '=', target.regionCode).executeTakeFirst()
    : null
  return {
    personId: handle.personId,
    name: expert.name,
    active: handle.status === 'active',
    target: target ? { tier: target.tier, bodyName: targetRegion?.name ?? null } : null,
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const handle = await requireExpert(request, user, params.expertId ?? '', 'recommend')
  const submission = parseWithZod(await request.formData(), { schema: recommendSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const outcome = await recommendExpert(getDb(), request, user, handle.personId, submission.value.reason)
  if (!outcome.ok) return data(submission.reply({ fieldErrors: outcome.fieldErrors, formErrors: outcome.formErrors }), { status: 400 })
  return redirectWithFlash(`/experts/${handle.personId}`, { kind: 'success', message: 'experts.recommend.saved' })
}

export default function RecommendExpert() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'expert-recommend',
    lastResult,
    constraint: getZodConstraint(recommendSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: recommendSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  return (
    <>
      <PageHeader
        title={t('experts.recommend.title')}
        crumbs={[
          { label: t('experts.title'), to: '/experts' },
          { label: data.name, to: `/experts/${data.personId}` },
          { label: t('experts.recommend.title') },
        ]}
      />
      <div className="card max-w-2xl">
        {!data.target ? (
          <p>{t('experts.recommend.noHigherTier')}</p>
        ) : !data.active ? (
          <p>{t('experts.recommend.notActive')}</p>
        ) : (
          <Form method="post" {...getFormProps(form)} className="space-y-4">
            <p>
              {t('experts.recommend.to', { tier: t(tierLabel(data.target.tier)), body: data.target.bodyName ?? t('experts.nationalBody') })}
            </p>
            <FormErrors errors={form.errors} />
            <TextareaField meta={fields.reason} label={t('experts.recommend.reason')} required rows={5} />
            <div className="flex flex-wrap gap-3">
              <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
                {t('experts.recommend.submit')}
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
