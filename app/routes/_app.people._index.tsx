import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { type Column, DataTable, FilterBar, FilterSearch, FilterSelect } from '#app/components/ui/data-table.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requirePermission, scopeFor } from '#app/modules/auth/authz.server.ts'
import { hasPermission } from '#app/modules/auth/policy.ts'
import { regionOptionLabel } from '#app/modules/orgs/org-form.tsx'
import { parsePeopleFilters } from '#app/modules/people/filters.ts'
import { EMPLOYMENTS, MEDIATOR_STATUSES, employmentLabel, genderLabel, mediatorStatusLabel } from '#app/modules/people/labels.ts'
import { listMediators, orgFilterChoices, type MediatorRow } from '#app/modules/people/people.server.ts'
import { regionsInScope } from '#app/modules/regions/regions.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'people.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'person:view')
  const filters = parsePeopleFilters(new URL(request.url))
  const scope = scopeFor(user, 'person:view')
  const db = getDb()
  const [{ rows, total }, regions, orgs] = await Promise.all([
    listMediators(db, scope, filters),
    regionsInScope(db, scope),
    orgFilterChoices(db, scope, filters),
  ])
  return {
    rows,
    total,
    filters,
    regions,
    orgs: orgs.options,
    orgsComplete: orgs.complete,
    canBrowseOrgs: hasPermission(user, 'org:view'),
    canCreate: hasPermission(user, 'person:edit'),
    canReveal: hasPermission(user, 'person:reveal'),
  }
}

export default function MediatorList() {
  const t = useT()
  const { rows, total, filters, regions, orgs, orgsComplete, canBrowseOrgs, canCreate, canReveal } = useLoaderData<typeof loader>()
  const { search } = useLocation()
  const columns: Column<MediatorRow>[] = [
    {
      key: 'name',
      header: t('people.field.name'),
      sortKey: 'name',
      render: (p) => <Link to={`/people/${p.id}`}>{p.name}</Link>,
      className: 'whitespace-nowrap',
    },
    {
      key: 'gender',
      header: t('people.field.gender'),
      render: (p) => (p.gender ? t(genderLabel(p.gender)) : ''),
      className: 'whitespace-nowrap',
    },
    {
      key: 'age',
      header: t('people.field.age'),
      sortKey: 'age',
      render: (p) => (p.age === null ? '' : p.age),
      className: 'whitespace-nowrap',
    },
    { key: 'org', header: t('people.field.org'), sortKey: 'org', render: (p) => p.orgName, className: 'min-w-[10rem]' },
    { key: 'region', header: t('people.field.region'), sortKey: 'region', render: (p) => p.regionName, className: 'whitespace-nowrap' },
    {
      key: 'employment',
      header: t('people.field.employment'),
      sortKey: 'employment',
      render: (p) => t(employmentLabel(p.employment)),
      className: 'whitespace-nowrap',
    },
    {
      key: 'card',
      header: t('people.field.cardNumber'),
      sortKey: 'card',
      render: (p) => p.cardNumber ?? '',
      className: 'whitespace-nowrap',
    },
    { key: 'phone', header: t('people.field.phone'), render: (p) => p.phoneMasked ?? '', className: 'whitespace-nowrap' },
    { key: 'status', header: t('people.field.status'), render: (p) => t(mediatorStatusLabel(p.status)), className: 'whitespace-nowrap' },
  ]
  return (
    <>
      <PageHeader
        title={t('people.title')}
        crumbs={[{ label: t('people.title') }]}
        actions={
          <>
            {canCreate ? (
              <Link to={filters.org ? `/people/new?org=${filters.org}` : '/people/new'} className="btn-primary">
                {t('people.new')}
              </Link>
            ) : null}
            {/* 调解员名册: the list's filters, every page; a background export (app/modules/jobs). */}
            <Form method="post" action={`/people/register.xlsx${search}`} reloadDocument>
              <button type="submit" className="btn-secondary" data-testid="people-register">
                {t('stats.register.people')}
              </button>
            </Form>
            {canReveal ? (
              <Form method="post" action={`/people/register.xlsx${search}`} reloadDocument title={t('stats.register.fullHint')}>
                <input type="hidden" name="full" value="1" />
                <button type="submit" className="btn-secondary">
                  {t('stats.register.full')}
                </button>
              </Form>
            ) : null}
          </>
        }
      />
      <FilterBar keep={{ sort: filters.sort, dir: filters.dir }}>
        <FilterSearch
          label={t('people.filter.search')}
          id="people-q"
          name="q"
          value={filters.q}
          placeholder={t('people.filter.searchPlaceholder')}
        />
        <FilterSelect
          label={t('people.field.region')}
          id="people-region"
          name="region"
          value={filters.region}
          options={regions.map((r) => ({ value: r.code, label: regionOptionLabel(r) }))}
        />
        <FilterSelect
          label={t('people.field.org')}
          id="people-org"
          name="org"
          value={filters.org}
          options={orgs.map((o) => ({ value: o.id, label: o.name }))}
        />
        {orgsComplete ? null : (
          <p className="field-hint max-w-xs self-center" data-testid="people-org-directory">
            {canBrowseOrgs ? <Link to="/orgs">{t('people.filter.orgDirectory')}</Link> : t('people.filter.orgDirectory')}
          </p>
        )}
        <FilterSelect
          label={t('people.field.employment')}
          id="people-employment"
          name="employment"
          value={filters.employment}
          options={EMPLOYMENTS.map((e) => ({ value: e, label: t(employmentLabel(e)) }))}
        />
        <FilterSelect
          label={t('people.field.status')}
          id="people-status"
          name="status"
          value={filters.status}
          options={MEDIATOR_STATUSES.map((s) => ({ value: s, label: t(mediatorStatusLabel(s)) }))}
        />
      </FilterBar>
      <DataTable
        caption={t('people.list.caption')}
        columns={columns}
        rows={rows}
        rowKey={(p) => p.id}
        total={total}
        page={filters.page}
        pageSize={filters.pageSize}
        sort={filters.sort}
        dir={filters.dir}
      />
    </>
  )
}
