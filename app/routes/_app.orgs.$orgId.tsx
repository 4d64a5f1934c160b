import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useOutlet } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { RecordHistoryLink } from '#app/modules/audit/record-history-link.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { isId } from '#app/lib/ids.ts'
import { recordTitle } from '#app/lib/meta.ts'
import { may, requirePermission, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import { orgKindLabel, orgStatusLabel } from '#app/modules/orgs/labels.ts'
import { getOrg } from '#app/modules/orgs/orgs.server.ts'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => (data ? recordTitle(matches, data.org.name) : [])

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'org:view')
  const id = params.orgId
  if (!isId(id)) notFound()
  const org = await getOrg(getDb(), id)
  if (!org) notFound()
  const record = { regionPath: org.regionPath, orgId: org.id }
  await requireRecordAccess(request, user, 'org:view', { type: 'organisation', id, ...record })
  const { regionPath: _path, ...shown } = org
  return {
    org: shown,
    canEdit: may(user, 'org:edit', record),
    canViewPeople: may(user, 'person:view', record),
    canEditPublicInfo: may(user, 'directory:edit', record),
  }
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="py-2 sm:grid sm:grid-cols-3 sm:gap-4">
      <dt className="font-medium text-slate-600">{label}</dt>
      <dd className="mt-1 sm:col-span-2 sm:mt-0">{children}</dd>
    </div>
  )
}

/** The organisation's page; its edit page (a child route) renders in its place. */
export default function OrganisationDetail() {
  const t = useT()
  const outlet = useOutlet()
  const { org, canEdit, canViewPeople, canEditPublicInfo } = useLoaderData<typeof loader>()
  if (outlet) return outlet
  return (
    <>
      <PageHeader
        title={org.name}
        crumbs={[{ label: t('orgs.title'), to: '/orgs' }, { label: org.name }]}
        actions={
          canEdit || canEditPublicInfo ? (
            <>
              {canEdit ? (
                <Link to={`/orgs/${org.id}/edit`} className="btn-primary">
                  {t('common.edit')}
                </Link>
              ) : null}
              {canEditPublicInfo ? (
                <Link to={`/orgs/${org.id}/public-info`} className="btn-secondary">
                  {t('directory.orgInfo.link')}
                </Link>
              ) : null}
              {canEdit ? <RecordHistoryLink type="organisation" id={org.id} /> : null}
            </>
          ) : null
        }
      />
      <dl className="card divide-y divide-slate-200" data-testid="org-detail">
        <Item label={t('orgs.field.name')}>{org.name}</Item>
        <Item label={t('orgs.field.kind')}>{t(orgKindLabel(org.kind))}</Item>
        {org.sectorCode ? (
          <Item label={t('orgs.field.sector')}>
            {t.locale === 'en' ? (org.sectorNameEn ?? org.sectorCode) : (org.sectorNameZh ?? org.sectorCode)}
          </Item>
        ) : null}
        <Item label={t('orgs.field.region')}>{org.regionName}</Item>
        <Item label={t('orgs.field.parent')}>
          {org.parentId && org.parentName ? <Link to={`/orgs/${org.parentId}`}>{org.parentName}</Link> : t('orgs.detail.noParent')}
        </Item>
        <Item label={t('orgs.field.address')}>{org.address ?? t('common.none')}</Item>
        <Item label={t('orgs.field.contactPhone')}>{org.contactPhone ?? t('common.none')}</Item>
        <Item label={t('orgs.field.status')}>{t(orgStatusLabel(org.status))}</Item>
        <Item label={t('orgs.field.mediators')}>
          <span data-testid="org-mediator-count">
            {t('orgs.detail.mediatorCount', { count: org.mediatorCount, active: org.activeMediatorCount })}
          </span>
          {canViewPeople ? (
            <>
              {' '}
              <Link to={`/people?org=${org.id}`}>{t('orgs.detail.viewMediators')}</Link>
            </>
          ) : null}
        </Item>
        <Item label={t('common.updatedAt')}>{t.dateTime(org.updatedAt)}</Item>
      </dl>
    </>
  )
}
