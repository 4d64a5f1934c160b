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
import { pageTitle } from '#app/lib/meta.ts'
import { todayInChina } from '#app/lib/time.ts'
import { requireUser } from '#app/modules/auth/authz.server.ts'
import { requireExpert } from '#app/modules/experts/access.server.ts'
import { renewExpertTerm } from '#app/modules/experts/lifecycle.server.ts'
import { proposedRenewal } from '#app/modules/experts/rules.ts'
import { renewTermSchema } from '#app/modules/experts/schemas.ts'
import { readExpertSettings } from '#app/modules/experts/settings.server.ts'
import { postedVersion } from '#app/modules/experts/ui/expert-form.tsx'
import { ConfirmCheckbox } from '#app/modules/experts/ui/fields.tsx'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'experts.renew.title')

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const handle = await requireExpert(request, user, params.expertId ?? '', 'edit')
  const db = getDb()
  const [expert, settings] = await Promise.all([
    db.selectFrom('experts').select(['name', 'term_start', 'term_end']).where('person_id', '=', handle.personId).executeTakeFirstOrThrow(),
    readExpertSettings(db),
  ])
  const proposal = proposedRenewal(expert, todayInChina(), settings.defaultTermYears)
  return {
    personId: handle.personId,
    name: expert.name,
    removed: handle.status === 'removed',
    version: handle.version,
    term: { start: expert.term_start, end: expert.term_end },
    years: settings.defaultTermYears,
    defaultValue: { termStart: proposal.start, termEnd: proposal.end, note: '' },
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const handle = await requireExpert(request, user, params.expertId ?? '', 'edit')
  const submission = parseWithZod(await request.formData(), { schema: renewTermSchema })
  if (submission.status !== 'success') return data({ result: submission.reply(), ageWarning: false }, { status: 400 })
  const db = getDb()
  const outcome = await renewExpertTerm(db, request, user, handle.personId, submission.value, await readExpertSettings(db))
  if (!outcome.ok) {
    return data(
      { result: submission.reply({ fieldErrors: outcome.fieldErrors, formErrors: outcome.formErrors }), ageWarning: !!outcome.ageWarning },
      { status: outcome.stale ? 409 : 400 },
    )
  }
  return redirectWithFlash(`/experts/${handle.personId}`, { kind: 'success', message: 'experts.renew.saved' })
}

export default function RenewTerm() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'expert-renew',
    lastResult: actionData?.result,
    defaultValue: data.defaultValue,
    constraint: getZodConstraint(renewTermSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: renewTermSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  return (
    <>
      <PageHeader
        title={t('experts.renew.title')}
        crumbs={[
          { label: t('experts.title'), to: '/experts' },
          { label: data.name, to: `/experts/${data.personId}` },
          { label: t('experts.renew.title') },
        ]}
      />
      <div className="card max-w-2xl">
        <p className="mb-1">{t('experts.renew.current', { start: t.date(data.term.start), end: t.date(data.term.end) })}</p>
        <p className="mb-4 text-sm text-slate-600">{t('experts.renew.defaultYears', { years: data.years })}</p>
        {data.removed ? (
          <p>{t('experts.renew.removed')}</p>
        ) : (
          <Form method="post" {...getFormProps(form)} className="space-y-4">
            <FormErrors errors={form.errors} />
            <input type="hidden" name="version" value={postedVersion(actionData?.result) ?? data.version} />
            {actionData?.ageWarning ? <ConfirmCheckbox name="confirmAge" label={t('experts.age.confirm')} /> : null}
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField meta={fields.termStart} label={t('experts.field.termStart')} type="date" required />
              <TextField meta={fields.termEnd} label={t('experts.field.termEnd')} type="date" required />
            </div>
            <TextField meta={fields.note} label={t('experts.renew.note')} />
            <div className="flex flex-wrap gap-3">
              <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
                {t('experts.renew.submit')}
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
