import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { type Column, DataTable } from '#app/components/ui/data-table.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { type ApiClientRow, listApiClients } from '#app/modules/api/clients.server.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'api.clients.title')

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'api:manage')
  const rows = await listApiClients(getDb())
  return { rows }
}

export default function ApiClientsPage() {
  const t = useT()
  const { rows } = useLoaderData<typeof loader>()
  const columns: Column<ApiClientRow>[] = [
    { key: 'name', header: t('api.field.name'), render: (c) => <Link to={`/admin/api-clients/${c.id}`}>{c.name}</Link> },
    { key: 'kind', header: t('api.field.kind'), render: (c) => t(`api.kind.${c.kind}`) },
    { key: 'region', header: t('api.field.region'), render: (c) => c.region_name },
    { key: 'scopes', header: t('api.field.scopes'), render: (c) => c.scopes.map((s) => t(`api.scope.${s}`)).join('、') },
    { key: 'status', header: t('common.status'), render: (c) => t(`api.status.${c.status}`) },
    { key: 'secret', header: t('api.field.secretHint'), render: (c) => <code className="font-mono">…{c.secret_hint}</code> },
    { key: 'rate', header: t('api.field.rateLimit'), render: (c) => t.number(c.rate_limit_per_minute) },
    { key: 'referrals', header: t('api.field.referrals'), render: (c) => t.number(c.referrals) },
    {
      key: 'lastUsed',
      header: t('api.field.lastUsed'),
      render: (c) => (c.last_used_at ? t.dateTime(c.last_used_at) : <span className="text-slate-600">{t('api.never')}</span>),
    },
  ]
  return (
    <>
      <PageHeader
        title={t('api.clients.title')}
        crumbs={[{ label: t('api.clients.title') }]}
        actions={
          <>
            <a href="/api/docs" className="btn-secondary">
              {t('api.clients.docs')}
            </a>
            <Link to="/admin/api-clients/new" className="btn-primary">
              {t('api.clients.new')}
            </Link>
          </>
        }
      />
      <p className="mb-4 max-w-3xl text-slate-700">{t('api.clients.intro')}</p>
      <DataTable
        caption={t('api.clients.title')}
        columns={columns}
        rows={rows}
        rowKey={(c) => c.id}
        total={rows.length}
        pageSize={Math.max(rows.length, 1)}
      />
    </>
  )
}
