/**
 * Reading a list page's state from its URL (sort, direction, page, search), so filters are
 * shareable links and the back button works. Unknown or malformed values fall back to defaults.
 */
export interface ListParams<S extends string> {
  sort: S
  dir: 'asc' | 'desc'
  page: number
  pageSize: number
  q: string
}

export const PAGE_SIZES = [20, 50, 100] as const

export function parseListParams<S extends string>(
  url: URL,
  options: { sortable: readonly S[]; defaultSort: S; defaultDir?: 'asc' | 'desc' },
): ListParams<S> {
  const p = url.searchParams
  const sort = options.sortable.includes(p.get('sort') as S) ? (p.get('sort') as S) : options.defaultSort
  const dir = p.get('dir') === 'asc' || p.get('dir') === 'desc' ? (p.get('dir') as 'asc' | 'desc') : (options.defaultDir ?? 'asc')
  const page = Math.min(Math.max(1, Math.floor(Number(p.get('page')) || 1)), 100_000)
  const size = Number(p.get('size'))
  const pageSize = (PAGE_SIZES as readonly number[]).includes(size) ? size : PAGE_SIZES[0]
  const q = (p.get('q') ?? '').trim().slice(0, 100)
  return { sort, dir, page, pageSize, q }
}

/** Escapes LIKE wildcards in user search text (both dialects use backslash as the escape). */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}
