/** Reading the audit log (read-only: nothing in the application updates or deletes it). */
import type { Executor } from '#app/lib/db.server.ts'
import { containsText } from '#app/lib/like.server.ts'
import type { AuditResult } from '#db/schema.ts'
import { instantRange, type AuditFilters } from './filters.ts'

export interface AuditRow {
  id: string
  at: string
  username: string | null
  roles: string[]
  scope: string | null
  ip: string | null
  action: string
  recordType: string | null
  recordId: string | null
  result: AuditResult
  /** The detail JSON, indented for reading; null when there is none. */
  detail: string | null
}

export async function listAuditLog(db: Executor, filters: AuditFilters): Promise<{ rows: AuditRow[]; total: number }> {
  const { start, end } = instantRange(filters)
  let base = db.selectFrom('audit_log')
  if (start) base = base.where('at', '>=', start)
  if (end) base = base.where('at', '<', end)
  if (filters.user) base = base.where(containsText('username', filters.user))
  if (filters.action) base = base.where('action', '=', filters.action)
  if (filters.result) base = base.where('result', '=', filters.result)
  if (filters.recordType) base = base.where('record_type', '=', filters.recordType)
  if (filters.recordId) base = base.where('record_id', '=', filters.recordId)
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      // Ids are time-ordered too, so rows written in the same millisecond keep their order.
      .orderBy('at', filters.dir)
      .orderBy('id', filters.dir)
      .limit(filters.pageSize)
      .offset((filters.page - 1) * filters.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ])
  return {
    total: Number(count.n),
    rows: rows.map((r) => ({
      id: r.id,
      at: r.at,
      username: r.username,
      roles: r.roles ? r.roles.split(',').filter(Boolean) : [],
      scope: r.scope,
      ip: r.ip,
      action: r.action,
      recordType: r.record_type,
      recordId: r.record_id,
      result: r.result,
      detail: readableDetail(r.detail),
    })),
  }
}

export function readableDetail(detail: string | null): string | null {
  if (!detail) return null
  try {
    return JSON.stringify(JSON.parse(detail), null, 2)
  } catch {
    return detail
  }
}
