import type { Kysely } from 'kysely'

/**
 * Per-client request counters for the partner API's rate limit, one row per client and minute.
 * They live in the database so every app server counts against the same limit.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('api_rate_windows')
    .addColumn('client_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('window_start', 'varchar(24)', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('pk_api_rate_windows', ['client_id', 'window_start'])
    .addForeignKeyConstraint('fk_api_rate_windows_client', ['client_id'], 'api_clients', ['id'], (c) => c.onDelete('cascade'))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('api_rate_windows').execute()
}
