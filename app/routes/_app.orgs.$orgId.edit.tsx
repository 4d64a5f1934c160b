import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { isId } from '#app/lib/ids.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { actorOf, requirePermission, requireRecordAccess, scopeFor, type AuthUser } from '#app/modules/auth/authz.server.ts'
import { OrgForm } from '#app/modules/orgs/org-form.tsx'
import { checkOrgReferences, getOrg, orgFormOptions, updateOrg } from '#app/modules/orgs/orgs.server.ts'
import { orgEditSchema } from '#app/modules/orgs/schemas.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'orgs.edit.title')

/** The organisation, if this user may edit it: 403 without org:edit, 404 outside their scope. */
async function editableOrg(
  request: Request,
  orgId: string | undefined,
): Promise<{ user: AuthUser; org: NonNullable<Awaited<ReturnType<typeof getOrg>>> }> {
  const user = await requirePermission(request, 'org:edit')
  if (!isId(orgId)) notFound()
  const org = await getOrg(getDb(), orgId)
  if (!org) notFound()
  await requireRecordAccess(request, user, 'org:edit', { type: 'organisation', id: org.id, regionPath: org.regionPath, orgId: org.id })
  return { user, org }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, org } = await editableOrg(request, params.orgId)
  const options = await orgFormOptions(getDb(), scopeFor(user, 'org:edit'), scopeFor(user, 'org:view'), org)
  return {
    org: { id: org.id, name: org.name, version: org.version },
    defaultValue: {
      name: org.name,
      kind: org.kind,
      sectorCode: org.sectorCode ?? undefined,
      regionCode: org.regionCode,
      parentId: org.parentId ?? undefined,
      address: org.address ?? undefined,
      contactPhone: org.contactPhone ?? undefined,
      status: org.status,
    },
    options,
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, org } = await editableOrg(request, params.orgId)
  const submission = parseWithZod(await request.formData(), { schema: orgEditSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const db = getDb()
  const { errors, regionOutOfScope } = await checkOrgReferences(db, user, submission.value, org)
  if (regionOutOfScope) {
    await audit(db, request, actorOf(user), {
      action: 'authz.out_of_scope',
      recordType: 'region',
      recordId: submission.value.regionCode,
      result: 'denied',
      detail: { permission: 'org:edit', organisation: org.id },
    })
  }
  if (Object.keys(errors).length) return data(submission.reply({ fieldErrors: errors }), { status: 400 })
  const outcome = await updateOrg(db, { request, actor: actorOf(user) }, org.id, submission.value)
  if (outcome === 'stale') return data(submission.reply({ formErrors: ['form.staleVersion'] }), { status: 409 })
  return redirectWithFlash(`/orgs/${org.id}`, { kind: 'success', message: 'orgs.updated' })
}

export default function EditOrganisation() {
  const t = useT()
  const { org, defaultValue, options } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  return (
    <>
      <PageHeader
        title={t('orgs.edit.title')}
        crumbs={[{ label: t('orgs.title'), to: '/orgs' }, { label: org.name, to: `/orgs/${org.id}` }, { label: t('orgs.edit.title') }]}
      />
      <OrgForm
        mode="edit"
        lastResult={lastResult}
        options={options}
        defaultValue={defaultValue}
        version={org.version}
        cancelTo={`/orgs/${org.id}`}
      />
    </>
  )
}
