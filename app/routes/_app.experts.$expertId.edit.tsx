import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { todayInChina } from '#app/lib/time.ts'
import { requireUser } from '#app/modules/auth/authz.server.ts'
import { requireExpert } from '#app/modules/experts/access.server.ts'
import { updateExpertProfile } from '#app/modules/experts/admission.server.ts'
import { failedForm, invalidForm } from '#app/modules/experts/form-results.server.ts'
import { editOptions } from '#app/modules/experts/forms.server.ts'
import { getExpertDetail } from '#app/modules/experts/queries.server.ts'
import { editExpertSchema } from '#app/modules/experts/schemas.ts'
import { ExpertForm, type ExpertFormResult } from '#app/modules/experts/ui/expert-form.tsx'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'experts.edit.title')

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const handle = await requireExpert(request, user, params.expertId ?? '', 'edit')
  const db = getDb()
  const [detail, { options }] = await Promise.all([
    getExpertDetail(db, handle.personId, todayInChina()),
    editOptions(db, handle.regionCode),
  ])
  if (!detail) notFound()
  const { expert, domains } = detail
  const codes = (role: string) => domains.filter((d) => d.role === role).map((d) => d.code)
  return {
    personId: expert.personId,
    name: expert.name,
    version: expert.version,
    masked: { idNumber: expert.idNumberMasked, phone: expert.phoneMasked },
    options,
    defaultValue: {
      name: expert.name,
      gender: expert.gender ?? undefined,
      birthDate: expert.birthDate ?? undefined,
      employer: expert.employer,
      employerOrgId: expert.employerOrgId ?? undefined,
      appointingOrgId: expert.appointingOrgId ?? undefined,
      title: expert.title ?? undefined,
      professions: expert.professions,
      primaryDomains: codes('primary'),
      secondaryDomains: codes('secondary'),
      specialties: codes('specialty'),
      languages: expert.languages.join('、'),
      bio: expert.bio ?? undefined,
      maxConcurrentCases: String(expert.maxConcurrentCases),
      contactPreference: expert.contactPreference,
      contactNote: expert.contactNote ?? undefined,
    },
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const handle = await requireExpert(request, user, params.expertId ?? '', 'edit')
  const db = getDb()
  const { refs } = await editOptions(db, handle.regionCode)
  const submission = parseWithZod(await request.formData(), { schema: editExpertSchema(refs) })
  if (submission.status !== 'success') return invalidForm(submission)
  const outcome = await updateExpertProfile(db, request, user, handle.personId, submission.value)
  if (!outcome.ok) return failedForm(db, user, submission, outcome)
  return redirectWithFlash(`/experts/${handle.personId}`, { kind: 'success', message: 'experts.flash.updated' })
}

export default function EditExpert() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<ExpertFormResult>()
  return (
    <>
      <PageHeader
        title={t('experts.edit.title')}
        crumbs={[
          { label: t('experts.title'), to: '/experts' },
          { label: data.name, to: `/experts/${data.personId}` },
          { label: t('experts.edit.title') },
        ]}
      />
      <ExpertForm
        mode="edit"
        actionData={actionData}
        options={data.options}
        defaultValue={data.defaultValue}
        masked={data.masked}
        version={data.version}
        cancelTo={`/experts/${data.personId}`}
      />
    </>
  )
}
