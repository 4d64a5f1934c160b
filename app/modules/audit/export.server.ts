/**
 * The audit log as .xlsx, exactly as filtered on the page: title lines (what was filtered, when
 * and by whom it was exported, how many rows), then 序号 and the columns of the page. Ids, addresses and user
 * names are text cells; details are the stored JSON, which its writers already masked.
 * The file is written by the background export (app/modules/jobs/exports/audit.server.ts); this
 * module says what its sheet looks like, in the language it was started in.
 */
import { type Locale, type MessageKey, translate } from '#app/lib/i18n.ts'
import { type SheetLayout, type SheetValue, exportHeading } from '#app/lib/xlsx/write.server.ts'
import { ROLES } from '#app/modules/auth/policy.ts'
import type { AuditResult } from '#db/schema.ts'
import type { AuditFilters } from './filters.ts'
import { auditActionLabel, auditResultLabel, recordTypeLabel } from './labels.ts'

/** Largest export: beyond this the title row says how many rows matched and that the file stops. */
export const AUDIT_EXPORT_LIMIT = 50_000

/** An instant as China Standard Time, `2026-11-23 16:00:00`, the way the page shows it. */
export function chinaDateTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')
}

type FilterFields = Pick<AuditFilters, 'from' | 'to' | 'user' | 'action' | 'result' | 'recordType' | 'recordId'>

function filterSummary(locale: Locale, filters: FilterFields): string {
  const t = (key: MessageKey) => translate(locale, key)
  const parts: string[] = []
  if (filters.from) parts.push(`${t('audit.filter.from')} ${filters.from}`)
  if (filters.to) parts.push(`${t('audit.filter.to')} ${filters.to}`)
  if (filters.user) parts.push(`${t('audit.filter.user')} ${filters.user}`)
  if (filters.action) parts.push(`${t('audit.filter.action')} ${filters.action}`)
  if (filters.result) parts.push(`${t('audit.filter.result')} ${t(auditResultLabel(filters.result))}`)
  if (filters.recordType) parts.push(`${t('audit.filter.recordType')} ${filters.recordType}`)
  if (filters.recordId) parts.push(`${t('audit.filter.recordId')} ${filters.recordId}`)
  return parts.length ? parts.join('；') : t('audit.export.noFilter')
}

/**
 * The sheet without its rows: the title lines (the count line says when the file stops at
 * `shown` of `total` matching rows) and the headers, in `locale`.
 */
export function auditSheetLayout(
  locale: Locale,
  input: { filters: FilterFields; shown: number; total: number; exportedBy: string; exportedAt: string },
): SheetLayout {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params)
  const heading = exportHeading({
    title: t('audit.title'),
    filter: filterSummary(locale, input.filters),
    user: input.exportedBy,
    at: new Date(input.exportedAt),
  })
  const count =
    input.total > input.shown
      ? t('audit.export.truncated', { shown: input.shown, total: input.total })
      : t('audit.export.count', { n: input.total })
  return {
    name: t('audit.title'),
    title: [...heading, count],
    serial: true,
    columns: [
      { header: t('audit.field.at'), width: 20, text: true },
      { header: t('audit.field.user'), width: 16, text: true },
      { header: t('audit.field.roles'), width: 20 },
      { header: t('audit.field.ip'), width: 16, text: true },
      { header: t('audit.field.action'), width: 24 },
      { header: t('audit.export.actionCode'), width: 24, text: true },
      { header: t('audit.filter.recordType'), width: 14 },
      { header: t('audit.filter.recordId'), width: 30, text: true },
      { header: t('audit.field.result'), width: 8 },
      { header: t('audit.field.detail'), width: 60, text: true },
    ],
  }
}

/** An audit_log row as stored (roles comma-separated, detail the stored JSON). */
export interface AuditLogRecord {
  at: string
  username: string | null
  roles: string | null
  ip: string | null
  action: string
  record_type: string | null
  record_id: string | null
  result: AuditResult
  detail: string | null
}

/** One entry's cells, in the order of auditSheetLayout's columns. */
export function auditSheetRow(locale: Locale, r: AuditLogRecord): SheetValue[] {
  const t = (key: MessageKey) => translate(locale, key)
  const label = (key: MessageKey | null, raw: string) => (key ? t(key) : raw)
  const roles = r.roles ? r.roles.split(',').filter(Boolean) : []
  return [
    chinaDateTime(r.at),
    r.username ?? t('audit.anonymous'),
    roles.map((role) => ((ROLES as string[]).includes(role) ? t(`role.${role}` as MessageKey) : role)).join('、'),
    r.ip ?? '',
    label(auditActionLabel(r.action), r.action),
    r.action,
    r.record_type ? label(recordTypeLabel(r.record_type), r.record_type) : '',
    r.record_id ?? '',
    t(auditResultLabel(r.result)),
    // One line per entry in the sheet: the compact JSON rather than the page's indented form.
    r.detail ? compact(r.detail) : '',
  ]
}

function compact(detail: string): string {
  try {
    return JSON.stringify(JSON.parse(detail))
  } catch {
    return detail
  }
}
