/**
 * Opaque cursors for keyset pagination: the last row's sort key and id, base64url-encoded JSON.
 * A cursor is only a position, never a credential: every page is still filtered by the caller's
 * scope and region, so a forged cursor reveals nothing.
 */
export interface CursorPosition {
  /** The sort key of the last row returned (its id when the list is ordered by id alone). */
  key: string
  id: string
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.key, position.id]), 'utf8').toString('base64url')
}

export function decodeCursor(cursor: string): CursorPosition | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return null
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (!Array.isArray(value) || value.length !== 2) return null
    const [key, id] = value
    if (typeof key !== 'string' || typeof id !== 'string' || key.length > 200 || id.length > 40) return null
    return { key, id }
  } catch {
    return null
  }
}

/** Splits a page fetched with limit + 1 rows into the rows to return and the next cursor. */
export function pageOf<T>(rows: T[], limit: number, position: (row: T) => CursorPosition): { data: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { data: rows, nextCursor: null }
  const data = rows.slice(0, limit)
  return { data, nextCursor: encodeCursor(position(data[data.length - 1]!)) }
}
