/**
 * API cursors: the last row's sort key and id as an opaque keyset cursor (lib/opaque-cursor.ts,
 * shared with the public directory). A cursor is only a position, never a credential: every page
 * is still filtered by the caller's scope and region, so a forged cursor reveals nothing.
 */
import { cursorOf, encodeCursor as encodeValues } from '#app/lib/opaque-cursor.ts'

export interface CursorPosition {
  /** The sort key of the last row returned (its id when the list is ordered by id alone). */
  key: string
  id: string
}

export function encodeCursor(position: CursorPosition): string {
  return encodeValues([position.key, position.id])
}

export function decodeCursor(cursor: string): CursorPosition | null {
  const values = cursorOf(cursor, ['string', 'string'] as const)
  return values ? { key: values[0], id: values[1] } : null
}

/** Splits a page fetched with limit + 1 rows into the rows to return and the next cursor. */
export function pageOf<T>(rows: T[], limit: number, position: (row: T) => CursorPosition): { data: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { data: rows, nextCursor: null }
  const data = rows.slice(0, limit)
  return { data, nextCursor: encodeCursor(position(data[data.length - 1]!)) }
}
