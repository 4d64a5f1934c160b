import type { LoaderFunctionArgs } from '@remix-run/node'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { translate } from '#app/lib/i18n.ts'
import { getLocale } from '#app/lib/i18n.server.ts'
import { nowIso } from '#app/lib/time.ts'
import { spreadsheetResponse } from '#app/lib/xlsx/write.server.ts'
import { auditRowsForExport } from '#app/modules/audit/audit-log.server.ts'
import { AUDIT_EXPORT_LIMIT, auditWorkbook } from '#app/modules/audit/export.server.ts'
import { parseAuditFilters } from '#app/modules/audit/filters.ts'
import { actorOf, requirePermission } from '#app/modules/auth/authz.server.ts'

/** The audit log as filtered on /audit, as .xlsx; the export itself is audited. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'audit:view')
  const filters = parseAuditFilters(new URL(request.url))
  const db = getDb()
  const { rows, total } = await auditRowsForExport(db, filters, AUDIT_EXPORT_LIMIT)
  const locale = await getLocale(request)
  const exportedAt = nowIso()
  const body = await auditWorkbook(locale, { filters, rows, total, exportedBy: user.username, exportedAt })
  const { page: _page, pageSize: _size, q: _q, sort: _sort, ...shown } = filters
  await audit(db, request, actorOf(user), {
    action: 'audit.exported',
    recordType: 'audit_log',
    detail: { filters: shown, rows: rows.length, total },
  })
  return spreadsheetResponse(body, `${translate(locale, 'audit.export.fileName', { date: exportedAt.slice(0, 10) })}.xlsx`)
}
