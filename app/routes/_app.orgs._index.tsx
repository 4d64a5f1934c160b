import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { type Column, DataTable, FilterBar, FilterSearch, FilterSelect } from '#app/components/ui/data-table.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requirePermission, scopeFor } from '#app/modules/auth/authz.server.ts'
import { hasPermission } from '#app/modules/auth/policy.ts'
import { parseOrgFilters } from '#app/modules/orgs/filters.ts'
import { ORG_KINDS, ORG_STATUSES, orgKindLabel, orgStatusLabel } from '#app/modules/orgs/labels.ts'
import { regionOptionLabel } from '#app/modules/orgs/org-form.tsx'
import { listOrgs, type OrgRow } from '#app/modules/orgs/orgs.server.ts'
import { regionsInScope } from '#app/modules/regions/regions.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'orgs.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'org:view')
  const filters = parseOrgFilters(new URL(request.url))
  const scope = scopeFor(user, 'org:view')
  const db = getDb()
  const [{ rows, total }, regions] = await Promise.all([listOrgs(db, scope, filters), regionsInScope(db, scope)])
  return { rows, total, filters, regions, canCreate: hasPermission(user, 'org:edit') }
}

export default function OrganisationList() {
  const t = useT()
  const { rows, total, filters, regions, canCreate } = useLoaderData<typeof loader>()
  const { search } = useLocation()
  const columns: Column<OrgRow>[] = [
    {
      key: 'name',
      header: t('orgs.field.name'),
      sortKey: 'name',
      render: (o) => <Link to={`/orgs/${o.id}`}>{o.name}</Link>,
    },
    { key: 'kind', header: t('orgs.field.kind'), sortKey: 'kind', render: (o) => t(orgKindLabel(o.kind)) },
    { key: 'region', header: t('orgs.field.region'), sortKey: 'region', render: (o) => o.regionName, className: 'whitespace-nowrap' },
    {
      key: 'status',
      header: t('orgs.field.status'),
      sortKey: 'status',
      render: (o) => t(orgStatusLabel(o.status)),
      className: 'whitespace-nowrap',
    },
    {
      key: 'updated',
      header: t('orgs.field.updatedAt'),
      sortKey: 'updated',
      render: (o) => t.date(o.updatedAt),
      className: 'whitespace-nowrap',
    },
  ]
  return (
    <>
      <PageHeader
        title={t('orgs.title')}
        crumbs={[{ label: t('orgs.title') }]}
        actions={
          <>
            {canCreate ? (
              <Link to="/orgs/new" className="btn-primary">
                {t('orgs.new')}
              </Link>
            ) : null}
            {/* 组织机构名录: the list's filters and sort, every page; a background export (app/modules/jobs). */}
            <Form method="post" action={`/orgs.xlsx${search}`} reloadDocument>
              <button type="submit" className="btn-secondary" data-testid="orgs-export">
                {t('stats.exportList')}
              </button>
            </Form>
          </>
        }
      />
      <FilterBar keep={{ sort: filters.sort, dir: filters.dir }}>
        <FilterSearch
          label={t('orgs.filter.search')}
          id="orgs-q"
          name="q"
          value={filters.q}
          placeholder={t('orgs.filter.searchPlaceholder')}
        />
        <FilterSelect
          label={t('orgs.field.region')}
          id="orgs-region"
          name="region"
          value={filters.region}
          options={regions.map((r) => ({ value: r.code, label: regionOptionLabel(r) }))}
        />
        <FilterSelect
          label={t('orgs.field.kind')}
          id="orgs-kind"
          name="kind"
          value={filters.kind}
          options={ORG_KINDS.map((k) => ({ value: k, label: t(orgKindLabel(k)) }))}
        />
        <FilterSelect
          label={t('orgs.field.status')}
          id="orgs-status"
          name="status"
          value={filters.status}
          options={ORG_STATUSES.map((s) => ({ value: s, label: t(orgStatusLabel(s)) }))}
        />
      </FilterBar>
      <DataTable
        caption={t('orgs.list.caption')}
        columns={columns}
        rows={rows}
        rowKey={(o) => o.id}
        total={total}
        page={filters.page}
        pageSize={filters.pageSize}
        sort={filters.sort}
        dir={filters.dir}
      />
    </>
  )
}
