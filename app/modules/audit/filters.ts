/**
 * The audit log's filters in its URL. Dates are days in China Standard Time (what the reader
 * means by "23 November"), turned into a half-open range of UTC instants for the query.
 */
import { parseListParams, type ListParams } from '#app/lib/list-params.ts'
import { isCalendarDate } from '#app/lib/time.ts'
import type { AuditResult } from '#db/schema.ts'
import { isAuditResult } from './labels.ts'

export interface AuditFilters extends ListParams<'at'> {
  from: string | null
  to: string | null
  user: string | null
  action: string | null
  result: AuditResult | null
  recordType: string | null
  recordId: string | null
}

const ACTION = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/
const RECORD_TYPE = /^[a-z][a-z0-9_]*$/

function text(value: string | null, max: number): string | null {
  const v = (value ?? '').trim()
  return v && v.length <= max ? v : null
}

export function parseAuditFilters(url: URL): AuditFilters {
  const p = url.searchParams
  const from = p.get('from') ?? ''
  const to = p.get('to') ?? ''
  const action = text(p.get('action'), 64)
  const recordType = text(p.get('recordType'), 32)
  const result = p.get('result')
  return {
    // Newest first unless the reader asks otherwise; time is the only order.
    ...parseListParams(url, { sortable: ['at'] as const, defaultSort: 'at', defaultDir: 'desc' }),
    from: isCalendarDate(from) ? from : null,
    to: isCalendarDate(to) ? to : null,
    user: text(p.get('user'), 64)?.toLowerCase() ?? null,
    action: action && ACTION.test(action) ? action : null,
    result: isAuditResult(result) ? result : null,
    recordType: recordType && RECORD_TYPE.test(recordType) ? recordType : null,
    recordId: text(p.get('recordId'), 64),
  }
}

/** The first instant (UTC ISO) of a China Standard Time day. */
export function chinaDayStart(day: string): string {
  return new Date(`${day}T00:00:00.000+08:00`).toISOString()
}

/** `from` and `to` days (both included) as `at >= start` and `at < end`. */
export function instantRange(filters: Pick<AuditFilters, 'from' | 'to'>): { start: string | null; end: string | null } {
  const start = filters.from ? chinaDayStart(filters.from) : null
  const end = filters.to ? new Date(Date.parse(chinaDayStart(filters.to)) + 24 * 3600_000).toISOString() : null
  return { start, end }
}
