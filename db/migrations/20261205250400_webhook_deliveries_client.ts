import { type Kysely, MysqlAdapter, sql } from 'kysely'

/** The delivery log filtered by client, newest first (ids are time-ordered). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('ix_webhook_deliveries_client').on('webhook_deliveries').columns(['client_id', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  // Issue 11 (migration tests): InnoDB needs an index on the foreign key column and dropped its own
  // implicit one when this index was created, so MySQL gets a plain one back in the same statement;
  // SQLite's DROP INDEX takes no ON.
  if (db.getExecutor().adapter instanceof MysqlAdapter) {
    await sql`ALTER TABLE webhook_deliveries ADD INDEX ix_webhook_deliveries_client_fk (client_id), DROP INDEX ix_webhook_deliveries_client`.execute(
      db,
    )
    return
  }
  await db.schema.dropIndex('ix_webhook_deliveries_client').execute()
}
