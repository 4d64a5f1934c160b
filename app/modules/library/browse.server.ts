/** Parses the library's browse/search URL and runs the search (used by the library index page). */
import type { Executor } from '#app/lib/db.server.ts'
import { queryTokens } from '#app/lib/search/tokenizer.ts'
import type { SnippetPart } from '#app/lib/search/snippet.ts'
import { libraryIndex } from './index.server.ts'
import type { CaseFilters } from './model.ts'
import type { SortOrder } from './search.ts'
import { DISPUTE_TYPE_CODES, OUTCOMES, TECHNIQUES } from './vocabulary.ts'

export const PAGE_SIZE = 20

export interface BrowseParams {
  q: string
  filters: CaseFilters
  sort: SortOrder
  bookmarked: boolean
  page: number
  /** The raw filter values, for the form. */
  values: Record<'q' | 'type' | 'domain' | 'region' | 'year' | 'technique' | 'outcome' | 'sort' | 'bookmarked', string>
}

const oneOf = <T extends string>(value: string | null, allowed: readonly T[]): T | undefined =>
  value && (allowed as readonly string[]).includes(value) ? (value as T) : undefined

export function parseBrowseParams(url: URL): BrowseParams {
  const get = (name: string) => url.searchParams.get(name)?.trim() ?? ''
  const q = get('q').slice(0, 100)
  const type = oneOf(get('type'), DISPUTE_TYPE_CODES)
  const domain = oneOf(get('domain'), DISPUTE_TYPE_CODES)
  const region = /^\d{6}$/.test(get('region')) ? get('region') : undefined
  const year = /^\d{4}$/.test(get('year')) ? Number(get('year')) : undefined
  const technique = oneOf(get('technique'), TECHNIQUES)
  const outcome = oneOf(get('outcome'), OUTCOMES)
  const sort: SortOrder = get('sort') === 'date' || !q ? 'date' : 'relevance'
  const bookmarked = get('bookmarked') === '1'
  const page = Math.min(500, Math.max(1, Number.parseInt(get('page'), 10) || 1))
  return {
    q,
    filters: { disputeType: type, domain, region, year, technique, outcome },
    sort,
    bookmarked,
    page,
    values: {
      q,
      type: type ?? '',
      domain: domain ?? '',
      region: region ?? '',
      year: year ? String(year) : '',
      technique: technique ?? '',
      outcome: outcome ?? '',
      sort: get('sort') === 'date' ? 'date' : 'relevance',
      bookmarked: bookmarked ? '1' : '',
    },
  }
}

export interface BrowseRow {
  key: string
  caseId: string
  kind: 'curated' | 'submitted'
  title: string
  disputeType: string
  region: string
  year: number
  outcome: string
  techniques: string[]
  tags: string[]
  snippet: SnippetPart[]
}

export async function browse(db: Executor, params: BrowseParams, bookmarkKeys: Set<string>) {
  const index = await libraryIndex(db)
  const filters: CaseFilters = params.bookmarked ? { ...params.filters, keys: bookmarkKeys } : params.filters
  const hits = index.search(params.q, filters, params.sort)
  const start = (params.page - 1) * PAGE_SIZE
  const rows: BrowseRow[] = hits.slice(start, start + PAGE_SIZE).map((h) => ({
    key: h.case.key,
    caseId: h.case.caseId,
    kind: h.case.kind,
    title: h.case.title,
    disputeType: h.case.disputeType,
    region: h.case.region,
    year: h.case.year,
    outcome: h.case.outcome,
    techniques: h.case.techniques,
    tags: h.case.tags,
    snippet: index.snippet(h.case, params.q),
  }))
  const years = [...new Set(index.cases.map((c) => c.year))].sort((a, b) => b - a)
  const regions = [...new Set(index.cases.map((c) => c.region))].sort()
  return { rows, total: hits.length, pages: Math.max(1, Math.ceil(hits.length / PAGE_SIZE)), years, regions, tokens: queryTokens(params.q) }
}

/** Region names for the codes shown. */
export async function regionNames(db: Executor, codes: string[]): Promise<Record<string, string>> {
  if (!codes.length) return {}
  const rows = await db.selectFrom('regions').select(['code', 'name']).where('code', 'in', codes).execute()
  return Object.fromEntries(rows.map((r) => [r.code, r.name]))
}
