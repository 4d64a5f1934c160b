import { type Kysely, MysqlAdapter } from 'kysely'

/** The worker's poll: due pending deliveries (and expired claims) by time. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('ix_webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  // Issue 11 (migration tests): `DROP INDEX … ON table` is MySQL's syntax; SQLite names the index alone.
  const drop = db.schema.dropIndex('ix_webhook_deliveries_due')
  await (db.getExecutor().adapter instanceof MysqlAdapter ? drop.on('webhook_deliveries') : drop).execute()
}
