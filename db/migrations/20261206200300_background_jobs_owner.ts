import { type Kysely, MysqlAdapter, sql } from 'kysely'

/** A user's recent jobs (/exports), newest first. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('ix_background_jobs_owner').on('background_jobs').columns(['owner_id', 'created_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  // InnoDB needs an index on the foreign key column and dropped its own implicit one when this
  // index was created, so MySQL gets a plain one back in the same statement; SQLite's DROP INDEX
  // takes no ON.
  if (db.getExecutor().adapter instanceof MysqlAdapter) {
    await sql`ALTER TABLE background_jobs ADD INDEX ix_background_jobs_owner_fk (owner_id), DROP INDEX ix_background_jobs_owner`.execute(db)
    return
  }
  await db.schema.dropIndex('ix_background_jobs_owner').execute()
}
