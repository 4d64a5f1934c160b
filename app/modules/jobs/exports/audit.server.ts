/**
 * 审计日志 as a background export: the /audit page's filters, for auditors and security
 * administrators (audit:view, checked at creation, at worker start and at download). Rows are read
 * in keyset batches on (at, id) in the page's order. The log is read only: the one row this export
 * adds to it is its own 'audit.exported' event, written at download.
 */
import { DEFAULT_LOCALE, isLocale, translate } from '#app/lib/i18n.ts'
import { keysetBeyond } from '#app/lib/keyset.server.ts'
import { filteredAuditLog } from '#app/modules/audit/audit-log.server.ts'
import { AUDIT_EXPORT_LIMIT, type AuditLogRecord, auditSheetLayout, auditSheetRow } from '#app/modules/audit/export.server.ts'
import { parseAuditFilters } from '#app/modules/audit/filters.ts'
import { hasPermission } from '#app/modules/auth/policy.ts'
import type { AuditLogParams } from '../kinds.ts'
import { type ExportKind, searchOf } from './shared.server.ts'

export const auditLog: ExportKind<'audit.log'> = {
  kind: 'audit.log',
  listPath: '/audit',
  startPath: '/audit.xlsx',
  audit: { action: 'audit.exported', recordType: 'audit_log' },
  revealPermission: null,
  paramsFromUrl(url) {
    const f = parseAuditFilters(url)
    // Set by the start route from the request's language (lib/i18n.server.ts getLocale).
    const locale = url.searchParams.get('locale')
    return {
      from: f.from,
      to: f.to,
      user: f.user,
      action: f.action,
      result: f.result,
      recordType: f.recordType,
      recordId: f.recordId,
      dir: f.dir,
      locale: isLocale(locale) ? locale : DEFAULT_LOCALE,
      full: false,
    }
  },
  allowed(user) {
    return hasPermission(user, 'audit:view')
  },
  async prepare(db, user, params: AuditLogParams) {
    const { locale: _locale, full: _full, ...filterParams } = params
    const filters = parseAuditFilters(searchOf(filterParams))
    const exportedAt = new Date().toISOString()
    // The log as it stood when the export started: entries written while it runs (this export's
    // own event among them) are not in the file, so the count on its title line holds.
    const query = filteredAuditLog(db, filters).where('at', '<=', exportedAt)
    const counted = Number((await query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
    const total = Math.min(counted, AUDIT_EXPORT_LIMIT)
    const { page: _page, pageSize: _size, q: _q, sort: _sort, ...shown } = filters
    let count = 0
    return {
      sheet: auditSheetLayout(params.locale, { filters, shown: total, total: counted, exportedBy: user.username, exportedAt }),
      fileName: `${translate(params.locale, 'audit.export.fileName', { date: exportedAt.slice(0, 10) })}.xlsx`,
      total: () => total,
      async *batches(batchSize) {
        let cursor: { at: string; id: string } | null = null
        while (count < total) {
          const rows: (AuditLogRecord & { id: string })[] = await query
            .select(['id', 'at', 'username', 'roles', 'ip', 'action', 'record_type', 'record_id', 'result', 'detail'])
            .$if(cursor !== null, (q) => q.where(keysetBeyond('at', 'id', cursor!, filters.dir)))
            // Ids are time-ordered too, so entries written in the same millisecond keep their order.
            .orderBy('at', filters.dir)
            .orderBy('id', filters.dir)
            .limit(Math.min(batchSize, total - count))
            .execute()
          if (!rows.length) return
          const last = rows[rows.length - 1]!
          cursor = { at: last.at, id: last.id }
          count += rows.length
          yield rows.map((r) => auditSheetRow(params.locale, r))
          if (rows.length < batchSize) return
        }
      },
      // As the export built in the request audited it: the filters, the rows written, the match count.
      detail: () => ({ filters: shown, rows: count, total: counted }),
    }
  },
}
