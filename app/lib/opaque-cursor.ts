/**
 * Opaque keyset cursors (the public directory and the partner API): the sort key of the last row
 * shown, as base64url JSON, so the next page starts strictly after it (no offset scans, no skipped
 * or repeated rows when the list changes between pages). Never trusted beyond its shape: every
 * page is still filtered by the caller's scope, so a forged cursor reveals nothing. Works in the
 * browser and on the server (no Buffer).
 */
export type CursorValue = string | number

export function encodeCursor(values: readonly CursorValue[]): string {
  const json = JSON.stringify(values)
  return btoa(String.fromCharCode(...new TextEncoder().encode(json)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}

export function decodeCursor(cursor: string): CursorValue[] | null {
  if (!cursor || cursor.length > 400 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'))
    const json = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)))
    const values: unknown = JSON.parse(json)
    if (!Array.isArray(values) || values.length === 0 || values.length > 4) return null
    if (!values.every((v) => (typeof v === 'string' && v.length <= 200) || (typeof v === 'number' && Number.isInteger(v)))) return null
    return values as CursorValue[]
  } catch {
    return null
  }
}

/** The cursor's values when it has the expected types, in order; null otherwise. */
export function cursorOf<T extends readonly ('string' | 'number')[]>(
  cursor: string | null | undefined,
  types: T,
): { [K in keyof T]: T[K] extends 'string' ? string : number } | null {
  const values = cursor ? decodeCursor(cursor) : null
  if (!values || values.length !== types.length) return null
  if (!values.every((v, i) => (types[i] === 'number' ? typeof v === 'number' : typeof v === 'string'))) return null
  return values as { [K in keyof T]: T[K] extends 'string' ? string : number }
}
