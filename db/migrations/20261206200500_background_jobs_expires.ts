import { type Kysely, MysqlAdapter } from 'kysely'

/** The worker's sweep: result files past their expiry. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('ix_background_jobs_expires').on('background_jobs').columns(['expires_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  // `DROP INDEX … ON table` is MySQL's syntax; SQLite names the index alone.
  const drop = db.schema.dropIndex('ix_background_jobs_expires')
  await (db.getExecutor().adapter instanceof MysqlAdapter ? drop.on('background_jobs') : drop).execute()
}
