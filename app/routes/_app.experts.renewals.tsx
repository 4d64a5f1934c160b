import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { todayInChina } from '#app/lib/time.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { tierLabel } from '#app/modules/experts/labels.ts'
import { type RenewalRow, listRenewals } from '#app/modules/experts/queries.server.ts'
import { expertBodyScope } from '#app/modules/experts/scope.ts'
import { readExpertSettings } from '#app/modules/experts/settings.server.ts'
import { StatusBadge } from '#app/modules/experts/ui/badges.tsx'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'experts.renewals.title')

/** Terms ending within the renewal window (or already ended) among the experts the user's body appointed. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'expert:edit')
  const db = getDb()
  const settings = await readExpertSettings(db)
  const rows = await listRenewals(db, expertBodyScope(user, 'expert:edit'), todayInChina(), settings.renewalWindowDays)
  return { rows, windowDays: settings.renewalWindowDays }
}

export default function Renewals() {
  const t = useT()
  const { rows, windowDays } = useLoaderData<typeof loader>()
  const columns: Column<RenewalRow>[] = [
    {
      key: 'name',
      header: t('experts.column.name'),
      render: (row) => <Link to={`/experts/${row.personId}`}>{row.name}</Link>,
    },
    { key: 'tier', header: t('experts.column.tier'), render: (row) => t(tierLabel(row.tier)) },
    { key: 'employer', header: t('experts.column.employer'), render: (row) => row.employer },
    { key: 'status', header: t('experts.column.status'), render: (row) => <StatusBadge status={row.status} /> },
    {
      key: 'termEnd',
      header: t('experts.column.termEnd'),
      render: (row) => (
        <span>
          {t.date(row.termEnd)}
          <span className={`ml-2 text-sm ${row.daysLeft < 0 ? 'text-red-800' : 'text-amber-800'}`}>
            {row.daysLeft < 0
              ? t('experts.renewals.overdue', { days: -row.daysLeft })
              : t('experts.renewals.daysLeft', { days: row.daysLeft })}
          </span>
        </span>
      ),
    },
    {
      key: 'actions',
      header: t('table.actions'),
      render: (row) => (
        <Link to={`/experts/${row.personId}/renew`} className="btn-secondary px-3 py-1 text-sm">
          {t('experts.action.renew')}
        </Link>
      ),
    },
  ]
  return (
    <>
      <PageHeader
        title={t('experts.renewals.title')}
        crumbs={[{ label: t('experts.title'), to: '/experts' }, { label: t('experts.renewals.title') }]}
      />
      <p className="mb-4 text-slate-700">{t('experts.renewals.intro', { days: windowDays })}</p>
      <DataTable
        caption={t('experts.renewals.title')}
        columns={columns}
        rows={rows}
        rowKey={(row) => row.personId}
        total={rows.length}
        page={1}
        pageSize={Math.max(rows.length, 1)}
      />
    </>
  )
}
