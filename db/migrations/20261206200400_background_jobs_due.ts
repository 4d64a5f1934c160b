import { type Kysely, MysqlAdapter } from 'kysely'

/** The worker's poll: queued jobs, and running ones whose claim lapsed (a server died mid-run). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('ix_background_jobs_due').on('background_jobs').columns(['status', 'claim_expires_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  // `DROP INDEX … ON table` is MySQL's syntax; SQLite names the index alone.
  const drop = db.schema.dropIndex('ix_background_jobs_due')
  await (db.getExecutor().adapter instanceof MysqlAdapter ? drop.on('background_jobs') : drop).execute()
}
