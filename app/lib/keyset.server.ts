import { type Expression, type SqlBool, sql } from 'kysely'

/**
 * Rows strictly beyond (at, id) in the given order, for keyset pages (lib/keyset.ts):
 * `at < x or (at = x and id < y)` when descending. The column names are trusted code, never input.
 */
export function keysetBeyond(
  atColumn: string,
  idColumn: string,
  cursor: { at: string; id: string },
  order: 'asc' | 'desc',
): Expression<SqlBool> {
  const op = sql.raw(order === 'desc' ? '<' : '>')
  const at = sql.ref(atColumn)
  const id = sql.ref(idColumn)
  return sql<SqlBool>`(${at} ${op} ${cursor.at} or (${at} = ${cursor.at} and ${id} ${op} ${cursor.id}))`
}
