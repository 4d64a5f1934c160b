import { Migrator, sql, type Kysely, type MigrationResultSet } from 'kysely'
import { isMysql } from './connect.ts'
import { migrations } from './migrations/index.ts'

function migrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } })
}

function check(result: MigrationResultSet): void {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')
    throw new Error(`Migration ${failed?.migrationName ?? '?'} failed: ${String(result.error)}`)
  }
}

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const result = await migrator(db).migrateToLatest()
  check(result)
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

/** Drops every table (including Kysely's own bookkeeping) and migrates again. Development only. */
export async function resetDatabase(db: Kysely<any>): Promise<void> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true })
  if (isMysql(db)) {
    await db.connection().execute(async (conn) => {
      await sql`SET FOREIGN_KEY_CHECKS = 0`.execute(conn)
      for (const t of tables) await sql`DROP TABLE IF EXISTS ${sql.table(t.name)}`.execute(conn)
      await sql`SET FOREIGN_KEY_CHECKS = 1`.execute(conn)
    })
  } else {
    await sql`PRAGMA foreign_keys = OFF`.execute(db)
    for (const t of tables) await sql`DROP TABLE IF EXISTS ${sql.table(t.name)}`.execute(db)
    await sql`PRAGMA foreign_keys = ON`.execute(db)
  }
  await migrateToLatest(db)
}
