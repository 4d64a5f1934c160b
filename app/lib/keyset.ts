/**
 * Keyset pagination for lists ordered by a time and an id (the audit log, the case list): a page
 * is "the rows after (or before) this (at, id)", so the thousandth page costs what the first does
 * on an index over those columns, and rows written while someone pages do not shift what they
 * see. Pure; `keysetBeyond` in keyset.server.ts is the matching SQL condition.
 */
export interface KeysetCursor {
  direction: 'after' | 'before'
  at: string
  id: string
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const ID = /^[0-9A-Za-z]{1,64}$/

/** `<at>~<id>`: both parts are plain ASCII, so the cursor needs no encoding beyond the URL's. */
export function encodeCursor(at: string, id: string): string {
  return `${at}~${id}`
}

/** The cursor in the URL (`after` wins over `before`); a malformed one means the first page. */
export function parseCursor(params: URLSearchParams): KeysetCursor | null {
  for (const direction of ['after', 'before'] as const) {
    const raw = params.get(direction)
    if (!raw) continue
    const [at, id, ...rest] = raw.split('~')
    if (rest.length || !at || !id || !INSTANT.test(at) || !ID.test(id)) return null
    return { direction, at, id }
  }
  return null
}

export interface CursorPages {
  first: string | null
  previous: string | null
  next: string | null
}

/**
 * Links for a page of rows in display order: `fetchedMore` says the query found a row beyond the
 * page in the direction it read (limit n + 1).
 */
export function cursorPages(
  search: URLSearchParams,
  cursor: KeysetCursor | null,
  rows: readonly { at: string; id: string }[],
  fetchedMore: boolean,
): CursorPages {
  const base = new URLSearchParams(search)
  base.delete('after')
  base.delete('before')
  base.delete('page')
  const link = (changes: Record<string, string>) => {
    const p = new URLSearchParams(base)
    for (const [k, v] of Object.entries(changes)) p.set(k, v)
    return `?${p.toString()}`
  }
  const backwards = cursor?.direction === 'before'
  const hasNext = backwards ? true : fetchedMore
  const hasPrevious = backwards ? fetchedMore : !!cursor
  const firstRow = rows[0]
  const lastRow = rows[rows.length - 1]
  return {
    first: hasPrevious ? link({}) : null,
    previous: hasPrevious && firstRow ? link({ before: encodeCursor(firstRow.at, firstRow.id) }) : null,
    next: hasNext && lastRow ? link({ after: encodeCursor(lastRow.at, lastRow.id) }) : null,
  }
}
