/**
 * Multi-row writes for seeds and factories, the same on both dialects: inserts in chunks that
 * stay under SQLite's historical limit of 999 bound parameters per statement, existence checks
 * in bulk (one query per chunk rather than one per row), and transactions that compose.
 */
import type { Insertable, Kysely, Transaction } from 'kysely'
import type { Executor } from '#app/lib/db.server.ts'
import type { Database } from '#db/schema.ts'

const MAX_PARAMETERS = 900

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const parts: T[][] = []
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size))
  return parts
}

// Kysely cannot follow a table generic through its builders; the exported signatures are the check.
const loose = (db: Executor) => db as unknown as Kysely<any>

/** Inserts rows in as few statements as the parameter limit allows. Rows must share their columns. */
export async function insertRows<T extends keyof Database & string>(
  db: Executor,
  table: T,
  rows: readonly Insertable<Database[T]>[],
): Promise<number> {
  const first = rows[0]
  if (!first) return 0
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(first).length))
  for (const part of chunk(rows, size)) await loose(db).insertInto(table).values(part).execute()
  return rows.length
}

/** Which of `values` already occur in `table.column`. */
export async function existingValues<T extends keyof Database & string>(
  db: Executor,
  table: T,
  column: keyof Database[T] & string,
  values: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>()
  for (const part of chunk([...new Set(values)], MAX_PARAMETERS)) {
    const rows: Record<string, unknown>[] = await loose(db)
      .selectFrom(table as string)
      .select(column as string)
      .where(column as string, 'in', part)
      .execute()
    for (const row of rows) found.add(String(row[column]))
  }
  return found
}

/** Runs `work` in a transaction, or inside the caller's transaction when given one. */
export function inTransaction<R>(db: Executor, work: (trx: Transaction<Database>) => Promise<R>): Promise<R> {
  if (db.isTransaction) return work(db as Transaction<Database>)
  return db.transaction().execute(work)
}
