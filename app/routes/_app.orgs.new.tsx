import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { actorOf, requirePermission, scopeFor } from '#app/modules/auth/authz.server.ts'
import { OrgForm } from '#app/modules/orgs/org-form.tsx'
import { checkOrgReferences, createOrg, orgFormOptions } from '#app/modules/orgs/orgs.server.ts'
import { orgCreateSchema } from '#app/modules/orgs/schemas.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'orgs.new.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'org:edit')
  return { options: await orgFormOptions(getDb(), scopeFor(user, 'org:edit'), scopeFor(user, 'org:view')) }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'org:edit')
  const submission = parseWithZod(await request.formData(), { schema: orgCreateSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const db = getDb()
  const { errors, regionOutOfScope } = await checkOrgReferences(db, user, submission.value)
  if (regionOutOfScope) {
    await audit(db, request, actorOf(user), {
      action: 'authz.out_of_scope',
      recordType: 'region',
      recordId: submission.value.regionCode,
      result: 'denied',
      detail: { permission: 'org:edit' },
    })
  }
  if (Object.keys(errors).length) return data(submission.reply({ fieldErrors: errors }), { status: 400 })
  const id = await createOrg(db, { request, actor: actorOf(user) }, submission.value)
  return redirectWithFlash(`/orgs/${id}`, { kind: 'success', message: 'orgs.created' })
}

export default function NewOrganisation() {
  const t = useT()
  const { options } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  return (
    <>
      <PageHeader title={t('orgs.new.title')} crumbs={[{ label: t('orgs.title'), to: '/orgs' }, { label: t('orgs.new.title') }]} />
      <OrgForm mode="create" lastResult={lastResult} options={options} cancelTo="/orgs" />
    </>
  )
}
