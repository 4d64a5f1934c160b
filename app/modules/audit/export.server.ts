/**
 * The audit log as .xlsx, exactly as filtered on the page: title lines (what was filtered, when
 * and by whom it was exported, how many rows), then 序号 and the columns of the page. Ids, addresses and user
 * names are text cells; details are the stored JSON, which its writers already masked.
 */
import { type Locale, type MessageKey, translate } from '#app/lib/i18n.ts'
import { buildWorkbook, exportHeading } from '#app/lib/xlsx/write.server.ts'
import { ROLES } from '#app/modules/auth/policy.ts'
import type { AuditRow } from './audit-log.server.ts'
import type { AuditFilters } from './filters.ts'
import { auditActionLabel, auditResultLabel, recordTypeLabel } from './labels.ts'

/** Largest export: beyond this the title row says how many rows matched and that the file stops. */
export const AUDIT_EXPORT_LIMIT = 50_000

/** An instant as China Standard Time, `2026-11-23 16:00:00`, the way the page shows it. */
export function chinaDateTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')
}

function filterSummary(locale: Locale, filters: AuditFilters): string {
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

export async function auditWorkbook(
  locale: Locale,
  input: { filters: AuditFilters; rows: readonly AuditRow[]; total: number; exportedBy: string; exportedAt: string },
): Promise<Buffer> {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params)
  const label = (key: MessageKey | null, raw: string) => (key ? t(key) : raw)
  const heading = exportHeading({
    title: t('audit.title'),
    filter: filterSummary(locale, input.filters),
    user: input.exportedBy,
    at: new Date(input.exportedAt),
  })
  const count =
    input.total > input.rows.length
      ? t('audit.export.truncated', { shown: input.rows.length, total: input.total })
      : t('audit.export.count', { n: input.total })
  return buildWorkbook([
    {
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
      rows: input.rows.map((r) => [
        chinaDateTime(r.at),
        r.username ?? t('audit.anonymous'),
        r.roles.map((role) => ((ROLES as string[]).includes(role) ? t(`role.${role}` as MessageKey) : role)).join('、'),
        r.ip ?? '',
        label(auditActionLabel(r.action), r.action),
        r.action,
        r.recordType ? label(recordTypeLabel(r.recordType), r.recordType) : '',
        r.recordId ?? '',
        t(auditResultLabel(r.result)),
        // One line per entry in the sheet: the compact JSON rather than the page's indented form.
        r.detail ? compact(r.detail) : '',
      ]),
    },
  ])
}

function compact(detail: string): string {
  try {
    return JSON.stringify(JSON.parse(detail))
  } catch {
    return detail
  }
}
