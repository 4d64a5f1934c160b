/**
 * Failure injection for database tests: a trigger that makes the database refuse an insert into
 * one table, so a multi-table write fails half-way through exactly as a lost connection or a full
 * disk would, with the real code path and no test hooks in the app. Both dialects.
 */
import { type Kysely, sql } from 'kysely'
import { isMysql } from '#db/connect.ts'
import type { DB } from '#app/lib/db.server.ts'

export const INJECTED_MESSAGE = 'injected failure'
const TRIGGER = 'reliability_injected_failure'

/**
 * Until the returned function is called, inserts into `table` fail (only those whose `column`
 * equals `value`, when given). One injection at a time.
 */
export async function failInsertsInto(db: DB, table: string, when?: { column: string; value: string }): Promise<() => Promise<void>> {
  await sql`DROP TRIGGER IF EXISTS ${sql.raw(TRIGGER)}`.execute(db)
  const condition = when ? sql`NEW.${sql.id(when.column)} = ${sql.lit(when.value)}` : sql`1 = 1`
  if (isMysql(db as unknown as Kysely<unknown>)) {
    await sql`CREATE TRIGGER ${sql.raw(TRIGGER)} BEFORE INSERT ON ${sql.id(table)} FOR EACH ROW
      BEGIN
        IF ${condition} THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = ${sql.lit(INJECTED_MESSAGE)}; END IF;
      END`.execute(db)
  } else {
    await sql`CREATE TRIGGER ${sql.raw(TRIGGER)} BEFORE INSERT ON ${sql.id(table)} WHEN ${condition}
      BEGIN SELECT RAISE(ABORT, ${sql.lit(INJECTED_MESSAGE)}); END`.execute(db)
  }
  return async () => {
    await sql`DROP TRIGGER IF EXISTS ${sql.raw(TRIGGER)}`.execute(db)
  }
}
