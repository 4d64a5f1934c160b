/**
 * The case list's filter in its URL, read one way by the list, its export button and the export
 * job: `status` is 'open' (the default: cases still being handled), 'all' or one status; `q`
 * searches title and case number. Unknown values fall back to the default. Pure.
 */
import type { CaseStatus } from '#db/schema.ts'
import { CASE_STATUSES } from './model.ts'

export type CaseListStatus = CaseStatus | 'open' | 'all'

export interface CaseListQuery {
  /** As the URL (and the status select) says it. */
  status: CaseListStatus
  q: string
}

export function parseCaseListQuery(url: URL): CaseListQuery {
  const raw = url.searchParams.get('status') ?? 'open'
  const status = raw === 'all' || raw === 'open' || (CASE_STATUSES as readonly string[]).includes(raw) ? (raw as CaseListStatus) : 'open'
  return { status, q: url.searchParams.get('q')?.trim().slice(0, 100) ?? '' }
}

/** The filter the case queries take: every status for 'all', no search when empty. */
export function caseListFilter(query: CaseListQuery): { status: CaseStatus | 'open' | null; q: string | null } {
  return { status: query.status === 'all' ? null : query.status, q: query.q || null }
}
