import { type Expression, type SqlBool, sql } from 'kysely'

/**
 * Rows strictly beyond `values` in the order of `columns` (all ascending or all descending), for
 * keyset pages: `a > x or (a = x and b > y) or (a = x and b = y and c > z)`, the same SQL on
 * both dialects. The column names are trusted code, never input.
 */
export function rowsBeyond(
  columns: readonly string[],
  values: readonly (string | number)[],
  order: 'asc' | 'desc' = 'asc',
): Expression<SqlBool> {
  const op = sql.raw(order === 'desc' ? '<' : '>')
  const branches = columns.map((column, i) => {
    const equalBefore = columns.slice(0, i).map((earlier, j) => sql`${sql.ref(earlier)} = ${values[j]}`)
    return sql.join([...equalBefore, sql`${sql.ref(column)} ${op} ${values[i]}`], sql` and `)
  })
  return sql<SqlBool>`(${sql.join(
    branches.map((b) => sql`(${b})`),
    sql` or `,
  )})`
}

/** Rows strictly beyond (at, id) in the given order (lib/keyset.ts cursors). */
export function keysetBeyond(
  atColumn: string,
  idColumn: string,
  cursor: { at: string; id: string },
  order: 'asc' | 'desc',
): Expression<SqlBool> {
  return rowsBeyond([atColumn, idColumn], [cursor.at, cursor.id], order)
}
