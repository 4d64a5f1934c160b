import type { Insertable, Updateable } from 'kysely'
import { isMysql } from '#db/connect.ts'
import type { Database } from '#db/schema.ts'
import type { Executor } from './db.server.ts'

/**
 * The one place the two dialects' upserts differ: SQLite's ON CONFLICT and MySQL's
 * ON DUPLICATE KEY UPDATE. `conflictColumns` must be the primary key or a unique key.
 */
export async function upsert<T extends keyof Database & string>(
  db: Executor,
  table: T,
  values: Insertable<Database[T]>,
  conflictColumns: (keyof Database[T] & string)[],
  update: Updateable<Database[T]>,
): Promise<void> {
  // Kysely cannot follow the table generic through these builders; the signature above is the check.
  const insert = db.insertInto(table).values(values as never)
  if (isMysql(db as never)) {
    await insert.onDuplicateKeyUpdate(update as never).execute()
  } else {
    await insert.onConflict((oc) => oc.columns(conflictColumns as never).doUpdateSet(update as never)).execute()
  }
}
