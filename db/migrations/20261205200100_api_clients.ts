import type { Kysely } from 'kysely'

/**
 * Partner systems (courts, police, other agencies) registered by an administrator for the API
 * under /api/v1 (issue 12). The secret is shown once and kept only as a SHA-256 hash; the webhook
 * signing secret is encrypted with the data key because Tiaojie must read it to sign deliveries.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('api_clients')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('kind', 'varchar(20)', (c) => c.notNull())
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('secret_hint', 'varchar(8)', (c) => c.notNull())
    .addColumn('webhook_url', 'varchar(500)')
    .addColumn('webhook_secret', 'varchar(500)')
    .addColumn('rate_limit_per_minute', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(12)', (c) => c.notNull())
    .addColumn('last_used_at', 'varchar(24)')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'varchar(26)')
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(24)', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('api_clients').execute()
}
