import { type Kysely, MysqlAdapter, sql } from 'kysely'

/** Rotating a secret or disabling a client revokes all of its access tokens at once. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('ix_api_access_tokens_client').on('api_access_tokens').columns(['client_id', 'expires_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  // Issue 11 (migration tests): InnoDB needs an index on the foreign key column and dropped its own
  // implicit one when this index was created, so MySQL gets a plain one back in the same statement;
  // SQLite's DROP INDEX takes no ON.
  if (db.getExecutor().adapter instanceof MysqlAdapter) {
    await sql`ALTER TABLE api_access_tokens ADD INDEX ix_api_access_tokens_client_fk (client_id), DROP INDEX ix_api_access_tokens_client`.execute(
      db,
    )
    return
  }
  await db.schema.dropIndex('ix_api_access_tokens_client').execute()
}
