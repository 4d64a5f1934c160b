import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { type Column, DataTable, FilterBar, FilterField, FilterSearch, FilterSelect } from '#app/components/ui/data-table.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { PAGE_SIZES } from '#app/lib/list-params.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { todayInChina } from '#app/lib/time.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { hasPermission } from '#app/modules/auth/policy.ts'
import { disputeTypeName, statusLabel, tierLabel } from '#app/modules/experts/labels.ts'
import { STATUSES, TIERS } from '#app/modules/experts/model.ts'
import { disputeTypeOptions, rosterRegionOptions } from '#app/modules/experts/queries.server.ts'
import { parseRosterQuery, rosterSearch } from '#app/modules/experts/roster.ts'
import { type RosterRow, listRoster } from '#app/modules/experts/roster.server.ts'
import { termState } from '#app/modules/experts/rules.ts'
import { expertBodyScope, expertViewScope, isEmptyBodyScope } from '#app/modules/experts/scope.ts'
import { readExpertSettings } from '#app/modules/experts/settings.server.ts'
import { StatusBadge, TermBadge, TierBadge } from '#app/modules/experts/ui/badges.tsx'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'experts.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'expert:view')
  const view = expertViewScope(user)
  // Experts see only themselves: their own page is the roster for them.
  if (!view.everything && !view.subtreePaths.length) throw redirect('/me/expert')
  const url = new URL(request.url)
  const query = parseRosterQuery(url)
  const db = getDb()
  const today = todayInChina()
  const settings = await readExpertSettings(db)
  const body = expertBodyScope(user, 'expert:edit')
  const deciders = expertBodyScope(user, 'expert:recommend')
  const [page, regions, disputeTypes] = await Promise.all([
    listRoster(db, { view, body, query, today, windowDays: settings.renewalWindowDays }),
    rosterRegionOptions(db, view),
    disputeTypeOptions(db),
  ])
  const params = url.searchParams
  return {
    query: { ...query, cursor: null },
    rows: page.rows.map((row) => ({
      ...row,
      editable: body.everything || (row.regionCode !== null && body.regionCodes.includes(row.regionCode)),
      termState: termState({ term_start: row.termStart, term_end: row.termEnd }, today, settings.renewalWindowDays),
    })),
    total: page.total,
    cursor: {
      first: query.cursor ? rosterSearch(params, {}) : null,
      previous: page.previous ? rosterSearch(params, { before: page.previous }) : null,
      next: page.next ? rosterSearch(params, { after: page.next }) : null,
    },
    regions: regions.map((r) => ({ code: r.code, name: r.name })),
    disputeTypes,
    windowDays: settings.renewalWindowDays,
    canAdmit: !isEmptyBodyScope(body),
    canDecide: !isEmptyBodyScope(deciders),
    canReveal: hasPermission(user, 'expert:reveal'),
    exportSearch: rosterSearch(params, {}),
  }
}

type Row = RosterRow & { editable: boolean; termState: ReturnType<typeof termState> }

export default function ExpertRoster() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const { query } = data
  const typeName = new Map(data.disputeTypes.map((d) => [d.code, disputeTypeName(t.locale, d)]))
  const columns: Column<Row>[] = [
    {
      key: 'name',
      header: t('experts.column.name'),
      sortKey: 'name',
      render: (row) => (
        <span className="flex flex-wrap items-center gap-2">
          <Link to={`/experts/${row.personId}`} className="font-medium">
            {row.name}
          </Link>
          {row.editable ? null : <span className="text-sm text-slate-500">{t('experts.roster.readOnly')}</span>}
        </span>
      ),
    },
    { key: 'tier', header: t('experts.column.tier'), render: (row) => <TierBadge tier={row.tier} /> },
    { key: 'region', header: t('experts.column.region'), render: (row) => row.regionName ?? t('experts.tier.national') },
    {
      key: 'employer',
      header: t('experts.column.employer'),
      render: (row) => (
        <>
          <div>{row.employer}</div>
          {row.title ? <div className="text-sm text-slate-600">{row.title}</div> : null}
        </>
      ),
    },
    {
      key: 'domains',
      header: t('experts.column.domains'),
      render: (row) =>
        row.domains
          .filter((d) => d.role === 'primary')
          .map((d) => typeName.get(d.code) ?? d.code)
          .join('、'),
    },
    {
      key: 'status',
      header: t('experts.column.status'),
      render: (row) => (
        <span className="flex flex-wrap gap-1">
          <StatusBadge status={row.status} />
          {row.awayToday ? <span className="text-sm text-amber-800">{t('experts.roster.awayToday')}</span> : null}
        </span>
      ),
    },
    {
      key: 'termEnd',
      header: t('experts.column.termEnd'),
      sortKey: 'term_end',
      render: (row) => (
        <span className="flex flex-wrap items-center gap-1">
          <span className="whitespace-nowrap">{t.date(row.termEnd)}</span>
          {row.termState === 'current' ? null : <TermBadge state={row.termState} />}
        </span>
      ),
    },
  ]
  return (
    <>
      <PageHeader
        title={t('experts.title')}
        crumbs={[{ label: t('experts.title') }]}
        actions={
          <>
            {data.canAdmit ? (
              <Link to="/experts/new" className="btn-primary">
                {t('experts.action.new')}
              </Link>
            ) : null}
            {data.canAdmit ? (
              <Link to="/experts/renewals" className="btn-secondary">
                {t('experts.action.renewals')}
              </Link>
            ) : null}
            {data.canDecide ? (
              <Link to="/experts/recommendations" className="btn-secondary">
                {t('experts.action.inbox')}
              </Link>
            ) : null}
            {data.canAdmit ? (
              <Link to="/experts/import" className="btn-secondary">
                {t('expertImport.action.import')}
              </Link>
            ) : null}
            {/* 专家名册: the roster export of the experts in office; a background export (app/modules/jobs). */}
            <Form method="post" action="/experts/register.xlsx" reloadDocument>
              <button type="submit" className="btn-secondary" data-testid="experts-register">
                {t('stats.register.experts')}
              </button>
            </Form>
          </>
        }
      />
      <FilterBar keep={{ sort: query.sort, dir: query.dir }}>
        <FilterSearch label={t('experts.filter.q')} id="f-q" value={query.q} />
        <FilterSelect
          label={t('experts.filter.tier')}
          id="f-tier"
          name="tier"
          value={query.tier}
          options={TIERS.map((tier) => ({ value: tier, label: t(tierLabel(tier)) }))}
        />
        <FilterSelect
          label={t('experts.filter.status')}
          id="f-status"
          name="status"
          value={query.status}
          options={STATUSES.map((status) => ({ value: status, label: t(statusLabel(status)) }))}
        />
        <FilterSelect
          label={t('experts.filter.region')}
          id="f-region"
          name="region"
          value={query.region}
          options={data.regions.map((r) => ({ value: r.code, label: r.name }))}
        />
        <FilterSelect
          label={t('experts.filter.domain')}
          id="f-domain"
          name="domain"
          value={query.domain}
          options={data.disputeTypes.map((d) => ({ value: d.code, label: disputeTypeName(t.locale, d) }))}
        />
        <FilterSelect
          label={t('experts.filter.specialty')}
          id="f-specialty"
          name="specialty"
          value={query.specialty}
          options={data.disputeTypes.map((d) => ({ value: d.code, label: disputeTypeName(t.locale, d) }))}
        />
        <FilterField label={t('experts.filter.term')} htmlFor="f-term">
          <select id="f-term" name="term" defaultValue={query.term ?? ''} className="input">
            <option value="">{t('table.all')}</option>
            <option value="current">{t('experts.filter.termCurrent')}</option>
            <option value="expiring">{t('experts.filter.termExpiring', { days: data.windowDays })}</option>
            <option value="expired">{t('experts.filter.termExpired')}</option>
          </select>
        </FilterField>
        <FilterField label={t('experts.roster.pageSize')} htmlFor="f-size">
          <select id="f-size" name="size" defaultValue={String(query.pageSize)} className="input">
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </FilterField>
        {data.canAdmit ? (
          <label className="flex min-h-[2.75rem] items-center gap-2 self-end">
            <input type="checkbox" name="mine" value="1" defaultChecked={query.mine} className="h-5 w-5" />
            <span>{t('experts.filter.mine')}</span>
          </label>
        ) : null}
      </FilterBar>
      <DataTable
        caption={t('experts.roster.caption')}
        columns={columns}
        rows={data.rows}
        rowKey={(row) => row.personId}
        total={data.total}
        sort={query.sort}
        dir={query.dir}
        cursor={data.cursor}
        exportHref={`/experts/export${data.exportSearch}`}
      />
      {data.canReveal ? (
        <form method="post" action={`/experts/export${data.exportSearch}`} className="mt-3 flex flex-wrap items-center gap-3 text-sm">
          <label className="flex min-h-[2.75rem] items-center gap-2">
            <input type="checkbox" name="full" value="1" className="h-5 w-5" />
            <span>{t('expertImport.export.full')}</span>
          </label>
          <button type="submit" className="btn-secondary px-3 py-1 text-sm">
            {t('expertImport.export.submit')}
          </button>
          <span className="text-slate-600">{t('expertImport.export.fullHint')}</span>
        </form>
      ) : null}
    </>
  )
}
