import { type Kysely, MysqlAdapter, sql } from 'kysely'

/** The sync history: newest first within a region. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('ix_roster_runs_region').on('roster_runs').columns(['region_code', 'created_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  // Issue 11 (migration tests): InnoDB needs an index on the foreign key column and dropped its own
  // implicit one when this index was created, so MySQL gets a plain one back in the same statement;
  // SQLite's DROP INDEX takes no ON.
  if (db.getExecutor().adapter instanceof MysqlAdapter) {
    await sql`ALTER TABLE roster_runs ADD INDEX ix_roster_runs_region_fk (region_code), DROP INDEX ix_roster_runs_region`.execute(db)
    return
  }
  await db.schema.dropIndex('ix_roster_runs_region').execute()
}
