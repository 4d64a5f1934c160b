import { type Kysely, MysqlAdapter } from 'kysely'

/** One open (queued or running) job per owner, kind and filter: a double submit finds the first. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('ux_background_jobs_open').unique().on('background_jobs').columns(['open_key']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  // `DROP INDEX … ON table` is MySQL's syntax; SQLite names the index alone.
  const drop = db.schema.dropIndex('ux_background_jobs_open')
  await (db.getExecutor().adapter instanceof MysqlAdapter ? drop.on('background_jobs') : drop).execute()
}
