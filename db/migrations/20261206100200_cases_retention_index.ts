import { type Kysely, MysqlAdapter } from 'kysely'

/**
 * The purge's question "closed, not yet purged, closed before the cutoff": the index leads with
 * parties_purged_at so the ever-growing set of purged cases is skipped, then status and the date.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('ix_cases_retention').on('cases').columns(['parties_purged_at', 'status', 'closed_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  // `DROP INDEX … ON table` is MySQL's syntax; SQLite names the index alone.
  const drop = db.schema.dropIndex('ix_cases_retention')
  await (db.getExecutor().adapter instanceof MysqlAdapter ? drop.on('cases') : drop).execute()
}
