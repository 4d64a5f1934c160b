import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { forbidden } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { todayInChina } from '#app/lib/time.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { admitExpert } from '#app/modules/experts/admission.server.ts'
import { failedForm, invalidForm } from '#app/modules/experts/form-results.server.ts'
import { admissionOptions } from '#app/modules/experts/forms.server.ts'
import { termEndFor } from '#app/modules/experts/rules.ts'
import { admitExpertSchema } from '#app/modules/experts/schemas.ts'
import { readExpertSettings } from '#app/modules/experts/settings.server.ts'
import { ExpertForm, type ExpertFormResult } from '#app/modules/experts/ui/expert-form.tsx'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'experts.new.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'expert:edit')
  const db = getDb()
  const [{ options }, settings] = await Promise.all([admissionOptions(db, user), readExpertSettings(db)])
  if (!options.tiers.length) forbidden()
  const today = todayInChina()
  return {
    options,
    defaultValue: {
      termStart: today,
      termEnd: termEndFor(today, settings.defaultTermYears),
      maxConcurrentCases: String(settings.defaultMaxConcurrentCases),
      contactPreference: 'phone',
      tier: options.tiers.length === 1 ? options.tiers[0] : undefined,
      regionCode: options.regions.length === 1 ? options.regions[0]!.code : undefined,
    },
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'expert:edit')
  const db = getDb()
  const [{ refs }, settings] = await Promise.all([admissionOptions(db, user), readExpertSettings(db)])
  const submission = parseWithZod(await request.formData(), { schema: admitExpertSchema(refs) })
  if (submission.status !== 'success') return invalidForm(submission)
  const outcome = await admitExpert(db, request, user, submission.value, settings)
  if (!outcome.ok) return failedForm(db, user, submission, outcome)
  return redirectWithFlash(`/experts/${outcome.value.personId}`, {
    kind: 'success',
    message: 'experts.flash.admitted',
    params: { name: submission.value.name },
  })
}

export default function AdmitExpert() {
  const t = useT()
  const { options, defaultValue } = useLoaderData<typeof loader>()
  const actionData = useActionData<ExpertFormResult>()
  return (
    <>
      <PageHeader
        title={t('experts.new.title')}
        crumbs={[{ label: t('experts.title'), to: '/experts' }, { label: t('experts.new.title') }]}
      />
      <ExpertForm mode="admit" actionData={actionData} options={options} defaultValue={defaultValue} cancelTo="/experts" />
    </>
  )
}
