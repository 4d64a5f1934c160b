import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { DataTable, FilterBar, FilterField, FilterSelect, type Column } from '#app/components/ui/data-table.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { archivedThroughInstant } from '#app/modules/audit/archive.ts'
import { listAuditLog, type AuditRow } from '#app/modules/audit/audit-log.server.ts'
import { parseCursor } from '#app/lib/keyset.ts'
import { parseAuditFilters } from '#app/modules/audit/filters.ts'
import { readAuditSettings } from '#app/modules/audit/settings.server.ts'
import { AUDIT_RESULTS, KNOWN_ACTIONS, auditActionLabel, auditResultLabel, recordTypeLabel } from '#app/modules/audit/labels.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { ROLES } from '#app/modules/auth/policy.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'audit.title')

/** Read-only for auditors and security administrators: this route has no action. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'audit:view')
  const url = new URL(request.url)
  const filters = parseAuditFilters(url)
  const db = getDb()
  const [{ rows, total, pages }, { archivedThrough }] = await Promise.all([
    listAuditLog(db, filters, parseCursor(url.searchParams), url.searchParams),
    readAuditSettings(db),
  ])
  const exportParams = new URLSearchParams(url.searchParams)
  for (const key of ['after', 'before', 'page', 'size']) exportParams.delete(key)
  return {
    rows,
    total,
    pages,
    filters,
    // The export's start route, with the filters (a background job: app/modules/jobs/exports/audit.server.ts).
    exportAction: `/audit.xlsx?${exportParams.toString()}`,
    archivedThrough: archivedThroughInstant(archivedThrough),
  }
}

const RESULT_STYLES: Record<AuditRow['result'], string> = {
  ok: 'text-green-800',
  denied: 'font-semibold text-red-800',
  failed: 'font-semibold text-amber-800',
}

export default function AuditLog() {
  const t = useT()
  const { rows, total, pages, filters, exportAction, archivedThrough } = useLoaderData<typeof loader>()
  const actionName = (action: string) => {
    const label = auditActionLabel(action)
    return label ? t(label) : action
  }
  const roleName = (role: string) => ((ROLES as string[]).includes(role) ? t(`role.${role}` as MessageKey) : role)
  const actions = filters.action && !KNOWN_ACTIONS.includes(filters.action) ? [...KNOWN_ACTIONS, filters.action] : KNOWN_ACTIONS
  const columns: Column<AuditRow>[] = [
    {
      key: 'at',
      header: t('audit.field.at'),
      sortKey: 'at',
      render: (r) => (
        <time dateTime={r.at} title={r.at}>
          {t.dateTime(r.at)}
        </time>
      ),
      className: 'whitespace-nowrap',
    },
    { key: 'user', header: t('audit.field.user'), render: (r) => r.username ?? t('audit.anonymous') },
    { key: 'roles', header: t('audit.field.roles'), render: (r) => r.roles.map(roleName).join('、') },
    { key: 'ip', header: t('audit.field.ip'), render: (r) => r.ip ?? '', className: 'whitespace-nowrap' },
    {
      key: 'action',
      header: t('audit.field.action'),
      render: (r) => (
        <span title={r.action} data-action={r.action}>
          {actionName(r.action)}
        </span>
      ),
    },
    {
      key: 'record',
      header: t('audit.field.record'),
      render: (r) => {
        if (!r.recordType) return ''
        const typeLabel = recordTypeLabel(r.recordType)
        return (
          <span className="break-all">
            {typeLabel ? t(typeLabel) : r.recordType}
            {r.recordId ? (
              <Link
                to={`/audit/record/${r.recordType}/${encodeURIComponent(r.recordId)}`}
                className="block font-mono text-xs"
                title={t('audit.history.link')}
              >
                {r.recordId}
              </Link>
            ) : null}
          </span>
        )
      },
    },
    {
      key: 'result',
      header: t('audit.field.result'),
      render: (r) => <span className={RESULT_STYLES[r.result]}>{t(auditResultLabel(r.result))}</span>,
      className: 'whitespace-nowrap',
    },
    {
      key: 'detail',
      header: t('audit.field.detail'),
      render: (r) =>
        r.detail || r.scope ? (
          <details>
            <summary className="cursor-pointer text-accent-700">{t('audit.detail.show')}</summary>
            {r.scope ? (
              <p className="mt-1 text-xs text-slate-600">
                {t('audit.field.scope')}: {r.scope}
              </p>
            ) : null}
            {r.detail ? (
              <pre className="mt-1 max-w-md overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs">{r.detail}</pre>
            ) : null}
          </details>
        ) : (
          ''
        ),
    },
  ]
  return (
    <>
      <PageHeader
        title={t('audit.title')}
        crumbs={[{ label: t('audit.title') }]}
        actions={
          <Form method="post" action={exportAction} reloadDocument>
            <button type="submit" className="btn-secondary" data-testid="audit-export">
              {t('table.export')}
            </button>
          </Form>
        }
      />
      <p className="mb-4 text-slate-700">{t('audit.intro')}</p>
      {archivedThrough ? (
        <p className="mb-4 text-sm text-slate-600" data-testid="audit-archived-through">
          {t('audit.archive.notice', { at: t.dateTime(archivedThrough) })}
        </p>
      ) : null}
      <FilterBar>
        <input type="hidden" name="dir" value={filters.dir} />
        <FilterField label={t('audit.filter.from')} htmlFor="audit-from">
          <input id="audit-from" name="from" type="date" className="input" defaultValue={filters.from ?? ''} />
        </FilterField>
        <FilterField label={t('audit.filter.to')} htmlFor="audit-to">
          <input id="audit-to" name="to" type="date" className="input" defaultValue={filters.to ?? ''} />
        </FilterField>
        <FilterField label={t('audit.filter.user')} htmlFor="audit-user">
          <input id="audit-user" name="user" type="search" className="input" defaultValue={filters.user ?? ''} autoComplete="off" />
        </FilterField>
        <FilterSelect
          label={t('audit.filter.action')}
          id="audit-action"
          name="action"
          value={filters.action}
          options={actions.map((a) => ({ value: a, label: actionName(a) }))}
        />
        <FilterSelect
          label={t('audit.filter.result')}
          id="audit-result"
          name="result"
          value={filters.result}
          options={AUDIT_RESULTS.map((r) => ({ value: r, label: t(auditResultLabel(r)) }))}
        />
        <FilterField label={t('audit.filter.recordType')} htmlFor="audit-record-type">
          <input id="audit-record-type" name="recordType" className="input" defaultValue={filters.recordType ?? ''} autoComplete="off" />
        </FilterField>
        <FilterField label={t('audit.filter.recordId')} htmlFor="audit-record-id">
          <input id="audit-record-id" name="recordId" className="input" defaultValue={filters.recordId ?? ''} autoComplete="off" />
        </FilterField>
      </FilterBar>
      <DataTable
        caption={t('audit.list.caption')}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.id}
        total={total}
        cursor={pages}
        sort={filters.sort}
        dir={filters.dir}
      />
    </>
  )
}
