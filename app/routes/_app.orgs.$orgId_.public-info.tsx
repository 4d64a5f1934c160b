import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors, TextareaField, TextField } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { isId } from '#app/lib/ids.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { actorOf, requirePermission, requireRecordAccess, type AuthUser } from '#app/modules/auth/authz.server.ts'
import { activeDisputeTypes, getOrgPublicInfo, type OrgPublicInfo, saveOrgPublicInfo } from '#app/modules/directory/manage.server.ts'
import { publishableOfficePhone } from '#app/modules/directory/model.ts'
import { orgPublicInfoSchema } from '#app/modules/directory/schemas.ts'
import { CheckboxGroup } from '#app/modules/experts/ui/fields.tsx'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'directory.orgInfo.title')

/**
 * An organisation's public information for the directory (services, opening hours, dispute types
 * taken): for those who manage the organisation (directory:edit: administrators, bureau staff in
 * the region, the organisation's own managers). 403 without the permission, 404 out of scope.
 */
async function editable(request: Request, orgId: string | undefined): Promise<{ user: AuthUser; org: OrgPublicInfo }> {
  const user = await requirePermission(request, 'directory:edit')
  if (!isId(orgId)) notFound()
  const org = await getOrgPublicInfo(getDb(), orgId)
  if (!org) notFound()
  await requireRecordAccess(request, user, 'directory:edit', {
    type: 'organisation',
    id: org.id,
    regionPath: org.regionPath,
    orgId: org.id,
  })
  return { user, org }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { org } = await editable(request, params.orgId)
  const phone = org.contactPhone
  return {
    org: {
      id: org.id,
      name: org.name,
      listed: org.listed,
      active: org.active,
      version: org.version,
      phone,
      phonePublished: publishableOfficePhone(phone) !== null,
    },
    defaultValue: { services: org.services ?? '', openingHours: org.openingHours ?? '', disputeTypes: org.disputeTypes },
    disputeTypes: await activeDisputeTypes(getDb()),
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, org } = await editable(request, params.orgId)
  const submission = parseWithZod(await request.formData(), { schema: orgPublicInfoSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const result = await saveOrgPublicInfo(getDb(), { request, actor: actorOf(user) }, org.id, submission.value)
  if (!result.ok && result.error === 'stale') return data(submission.reply({ formErrors: ['form.staleVersion'] }), { status: 409 })
  if (!result.ok) return data(submission.reply({ fieldErrors: { disputeTypes: ['directory.orgInfo.unknownType'] } }), { status: 400 })
  return redirectWithFlash(`/orgs/${org.id}`, { kind: 'success', message: 'directory.orgInfo.saved' })
}

export default function OrganisationPublicInfo() {
  const t = useT()
  const { org, defaultValue, disputeTypes } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'org-public-info',
    lastResult,
    defaultValue,
    constraint: getZodConstraint(orgPublicInfoSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: orgPublicInfoSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  return (
    <>
      <PageHeader
        title={t('directory.orgInfo.title')}
        crumbs={[
          { label: t('orgs.title'), to: '/orgs' },
          { label: org.name, to: `/orgs/${org.id}` },
          { label: t('directory.orgInfo.title') },
        ]}
      />
      <div className="card mb-4 space-y-2">
        <p>
          {!org.active ? t('directory.orgInfo.inactive') : org.listed ? t('directory.orgInfo.intro') : t('directory.orgInfo.notListed')}
        </p>
        <p className="text-sm text-slate-700" data-testid="public-info-phone">
          {!org.phone
            ? t('directory.orgInfo.noPhone')
            : org.phonePublished
              ? t('directory.orgInfo.phone', { phone: org.phone })
              : t('directory.orgInfo.phoneMobile', { phone: org.phone })}
        </p>
        {org.active && org.listed ? <Link to={`/directory?q=${encodeURIComponent(org.name)}`}>{t('directory.orgInfo.view')}</Link> : null}
      </div>
      <Form method="post" {...getFormProps(form)} className="card space-y-4">
        <FormErrors errors={form.errors} />
        <input type="hidden" name="version" value={org.version} />
        <TextareaField
          meta={fields.services}
          label={t('directory.orgInfo.services')}
          hint={t('directory.orgInfo.services.hint')}
          rows={4}
        />
        <TextField meta={fields.openingHours} label={t('directory.orgInfo.hours')} hint={t('directory.orgInfo.hours.hint')} />
        <CheckboxGroup
          meta={fields.disputeTypes}
          label={t('directory.orgInfo.types')}
          hint={t('directory.orgInfo.types.hint')}
          options={disputeTypes.map((d) => ({ value: d.code, label: t.locale === 'en' ? d.nameEn : d.nameZh }))}
        />
        <div className="flex flex-wrap gap-3">
          <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
            {t('form.save')}
          </button>
          <Link to={`/orgs/${org.id}`} className="btn-secondary">
            {t('form.cancel')}
          </Link>
        </div>
      </Form>
    </>
  )
}
