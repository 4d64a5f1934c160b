/**
 * Reading the audit log (read-only: nothing in the application updates or deletes it; the
 * append-only triggers refuse it in the database, and append-only.db.test.ts checks the code).
 * Lists page by keyset on (at, id), see lib/keyset.ts.
 */
import type { SelectQueryBuilder } from 'kysely'
import type { Executor } from '#app/lib/db.server.ts'
import { containsText } from '#app/lib/like.server.ts'
import type { AuditResult, Database } from '#db/schema.ts'
import { type CursorPages, type KeysetCursor, cursorPages } from '#app/lib/keyset.ts'
import { keysetBeyond } from '#app/lib/keyset.server.ts'
import { type AuditFilters, instantRange } from './filters.ts'

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

type AuditQuery = SelectQueryBuilder<Database, 'audit_log', object>

/** The filters as conditions on audit_log (the same for the page, the count and the export). */
export function filteredAuditLog(db: Executor, filters: Omit<AuditFilters, 'sort' | 'page' | 'pageSize' | 'q' | 'dir'>): AuditQuery {
  const { start, end } = instantRange(filters)
  let base = db.selectFrom('audit_log')
  if (start) base = base.where('at', '>=', start)
  if (end) base = base.where('at', '<', end)
  if (filters.user) base = base.where(containsText('username', filters.user))
  if (filters.action) base = base.where('action', '=', filters.action)
  if (filters.result) base = base.where('result', '=', filters.result)
  if (filters.recordType) base = base.where('record_type', '=', filters.recordType)
  if (filters.recordId) base = base.where('record_id', '=', filters.recordId)
  return base
}

type DbRow = Awaited<ReturnType<ReturnType<AuditQuery['selectAll']>['execute']>>[number]

function toRow(r: DbRow): AuditRow {
  return {
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
  }
}

export interface AuditPage {
  rows: AuditRow[]
  total: number
  pages: CursorPages
}

/**
 * One page of a filtered query in `dir` order (newest first by default), read by keyset from the
 * cursor: `after` continues in `dir`, `before` reads back against it and flips the rows round.
 */
export async function pageOf(
  query: AuditQuery,
  options: { dir: 'asc' | 'desc'; pageSize: number; cursor: KeysetCursor | null; search: URLSearchParams },
): Promise<AuditPage> {
  const { dir, pageSize, cursor } = options
  const backwards = cursor?.direction === 'before'
  const order = backwards ? (dir === 'desc' ? 'asc' : 'desc') : dir
  let rowsQuery = query.selectAll()
  if (cursor) rowsQuery = rowsQuery.where(keysetBeyond('at', 'id', cursor, order))
  const [fetched, count] = await Promise.all([
    // Ids are time-ordered too, so rows written in the same millisecond keep their order.
    rowsQuery
      .orderBy('at', order)
      .orderBy('id', order)
      .limit(pageSize + 1)
      .execute(),
    query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ])
  const more = fetched.length > pageSize
  const page = fetched.slice(0, pageSize)
  if (backwards) page.reverse()
  const rows = page.map(toRow)
  return { rows, total: Number(count.n), pages: cursorPages(options.search, cursor, rows, more) }
}

export async function listAuditLog(
  db: Executor,
  filters: AuditFilters,
  cursor: KeysetCursor | null,
  search: URLSearchParams,
): Promise<AuditPage> {
  return pageOf(filteredAuditLog(db, filters), { dir: filters.dir, pageSize: filters.pageSize, cursor, search })
}

/** Every audit entry about one record (index on record_type, record_id), newest first by page. */
export async function recordHistory(
  db: Executor,
  record: { type: string; id: string },
  options: { onlySucceeded: boolean; pageSize: number; cursor: KeysetCursor | null; search: URLSearchParams },
): Promise<AuditPage> {
  let query = db.selectFrom('audit_log').where('record_type', '=', record.type).where('record_id', '=', record.id)
  if (options.onlySucceeded) query = query.where('result', '=', 'ok')
  return pageOf(query, { dir: 'desc', pageSize: options.pageSize, cursor: options.cursor, search: options.search })
}

export function readableDetail(detail: string | null): string | null {
  if (!detail) return null
  try {
    return JSON.stringify(JSON.parse(detail), null, 2)
  } catch {
    return detail
  }
}
