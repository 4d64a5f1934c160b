import type { Kysely } from 'kysely'

/**
 * Short-lived OAuth2 access tokens (client credentials grant) for the partner API. Only the SHA-256
 * of a token is stored, like sessions; a token carries the scopes it was granted, a subset of its
 * client's scopes at the time it was issued.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('api_access_tokens')
    .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('client_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_api_access_tokens_client', ['client_id'], 'api_clients', ['id'], (c) => c.onDelete('cascade'))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('api_access_tokens').execute()
}
