import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { type Column, DataTable, FilterBar, FilterSelect } from '#app/components/ui/data-table.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requirePermission, scopeFor } from '#app/modules/auth/authz.server.ts'
import { DELIVERY_STATUSES, parseDeliveryFilter } from '#app/modules/webhooks/filters.ts'
import { deliveryKindLabel, deliveryStatusLabel } from '#app/modules/webhooks/labels.ts'
import { PAGE_SIZE, clientChoices, listDeliveries } from '#app/modules/webhooks/log.server.ts'
import { LastResult, StatusBadge } from '#app/modules/webhooks/ui/delivery-status.tsx'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'webhooks.title')

/** The delivery log of status notifications, for cases in the user's scope; read-only here. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'webhook:view')
  const db = getDb()
  const scope = scopeFor(user, 'webhook:view')
  const filter = parseDeliveryFilter(new URL(request.url).searchParams)
  const [{ rows, total }, clients] = await Promise.all([listDeliveries(db, scope, filter), clientChoices(db, scope)])
  const caseNumber = filter.caseId ? (rows[0]?.case_number ?? null) : null
  return { rows, total, clients, filter, caseNumber, pageSize: PAGE_SIZE }
}

type Row = Awaited<ReturnType<typeof loader>>['rows'][number]

export default function WebhookDeliveries() {
  const t = useT()
  const { rows, total, clients, filter, caseNumber, pageSize } = useLoaderData<typeof loader>()
  const columns: Column<Row>[] = [
    {
      key: 'created',
      header: t('webhooks.field.created'),
      render: (r) => (
        <time dateTime={r.created_at} title={r.created_at}>
          {t.dateTime(r.created_at)}
        </time>
      ),
      className: 'whitespace-nowrap',
    },
    { key: 'client', header: t('webhooks.field.client'), render: (r) => r.client_name },
    {
      key: 'case',
      header: t('webhooks.field.case'),
      render: (r) => (
        <Link to={`/cases/${r.case_id}`} className="whitespace-nowrap">
          {r.case_number}
        </Link>
      ),
    },
    { key: 'kind', header: t('webhooks.field.kind'), render: (r) => t(deliveryKindLabel(r.kind)), className: 'whitespace-nowrap' },
    { key: 'status', header: t('webhooks.field.status'), render: (r) => <StatusBadge status={r.status} /> },
    { key: 'attempts', header: t('webhooks.field.attempts'), render: (r) => t.number(r.attempt_count) },
    {
      key: 'last',
      header: t('webhooks.field.lastResult'),
      render: (r) => <LastResult statusCode={r.last_status_code} error={r.last_error} />,
    },
    {
      key: 'next',
      header: t('webhooks.field.nextAttempt'),
      render: (r) => (r.status === 'pending' && r.next_attempt_at ? t.dateTime(r.next_attempt_at) : ''),
      className: 'whitespace-nowrap',
    },
    {
      key: 'open',
      header: t('table.actions'),
      render: (r) => (
        <Link to={`/admin/webhooks/${r.id}`} data-testid="delivery-link" aria-label={t('webhooks.open', { id: r.id })}>
          {t('webhooks.details')}
        </Link>
      ),
    },
  ]
  return (
    <>
      <PageHeader title={t('webhooks.title')} crumbs={[{ label: t('webhooks.title') }]} />
      <p className="mb-4 text-slate-700">{t('webhooks.intro')}</p>
      {filter.caseId ? (
        <p className="mb-4" data-testid="case-filter">
          {t('webhooks.filter.caseOnly', { case: caseNumber ?? filter.caseId })}{' '}
          <Link to="/admin/webhooks">{t('webhooks.filter.allCases')}</Link>
        </p>
      ) : null}
      <FilterBar keep={{ case: filter.caseId ?? undefined }}>
        <FilterSelect
          label={t('webhooks.field.client')}
          id="webhooks-client"
          name="client"
          value={filter.clientId}
          options={clients.map((c) => ({ value: c.id, label: c.name }))}
        />
        <FilterSelect
          label={t('webhooks.field.status')}
          id="webhooks-status"
          name="status"
          value={filter.status}
          options={DELIVERY_STATUSES.map((s) => ({ value: s, label: t(deliveryStatusLabel(s)) }))}
        />
      </FilterBar>
      <DataTable
        caption={t('webhooks.title')}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.id}
        total={total}
        page={filter.page}
        pageSize={pageSize}
      />
    </>
  )
}
