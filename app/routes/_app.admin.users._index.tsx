import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { type Column, DataTable, FilterBar, FilterSearch, FilterSelect } from '#app/components/ui/data-table.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import { parseListParams } from '#app/lib/list-params.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { ROLES } from '#app/modules/auth/policy.ts'
import { parseUserFilters } from '#app/modules/users/filters.ts'
import { USER_STATUSES } from '#app/modules/users/schemas.ts'
import { USER_SORTS, type UserListRow, listUsers } from '#app/modules/users/users.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'users.title')

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'user:manage')
  const url = new URL(request.url)
  const params = parseListParams(url, { sortable: USER_SORTS, defaultSort: 'username' })
  const filters = parseUserFilters(url)
  const { rows, total } = await listUsers(getDb(), params, filters)
  return { rows, total, params, filters }
}

export default function UsersPage() {
  const t = useT()
  const { rows, total, params, filters } = useLoaderData<typeof loader>()
  const columns: Column<UserListRow>[] = [
    {
      key: 'username',
      header: t('users.field.username'),
      sortKey: 'username',
      render: (u) => <Link to={`/admin/users/${u.id}`}>{u.username}</Link>,
    },
    { key: 'displayName', header: t('users.field.displayName'), sortKey: 'displayName', render: (u) => u.displayName },
    {
      key: 'roles',
      header: t('users.field.roles'),
      render: (u) =>
        u.grants.length ? (
          <ul>
            {u.grants.map((g) => (
              <li key={g.id}>
                {t(`role.${g.role}` as MessageKey)}
                {g.scopeName ? <span className="text-slate-600"> · {g.scopeName}</span> : null}
              </li>
            ))}
          </ul>
        ) : (
          <span className="text-slate-600">{t('common.none')}</span>
        ),
    },
    {
      key: 'status',
      header: t('common.status'),
      sortKey: 'status',
      render: (u) => (
        <>
          {t(`users.status.${u.status}`)}
          {u.status === 'active' && !u.hasPassword ? (
            <span className="block text-sm text-slate-600">{t('users.status.awaitingSetup')}</span>
          ) : null}
        </>
      ),
    },
    {
      key: 'lastSignIn',
      header: t('users.field.lastSignIn'),
      sortKey: 'lastSignIn',
      render: (u) => (u.lastSignInAt ? t.dateTime(u.lastSignInAt) : <span className="text-slate-600">{t('users.never')}</span>),
    },
  ]
  return (
    <>
      <PageHeader
        title={t('users.title')}
        crumbs={[{ label: t('users.title') }]}
        actions={
          <Link to="/admin/users/new" className="btn-primary">
            {t('users.new')}
          </Link>
        }
      />
      <FilterBar>
        <FilterSearch label={t('users.filter.search')} id="q" name="q" value={params.q} placeholder={t('users.filter.searchPlaceholder')} />
        <FilterSelect
          label={t('users.field.roles')}
          id="role"
          name="role"
          value={filters.role}
          options={ROLES.map((role) => ({ value: role, label: t(`role.${role}` as MessageKey) }))}
        />
        <FilterSelect
          label={t('common.status')}
          id="status"
          name="status"
          value={filters.status}
          options={USER_STATUSES.map((status) => ({ value: status, label: t(`users.status.${status}`) }))}
        />
      </FilterBar>
      <DataTable
        caption={t('users.list.caption')}
        columns={columns}
        rows={rows}
        rowKey={(u) => u.id}
        total={total}
        page={params.page}
        pageSize={params.pageSize}
        sort={params.sort}
        dir={params.dir}
      />
    </>
  )
}
