import type { Kysely } from 'kysely'

/**
 * Status notifications for partner systems (issue 12): one row per event, written in the same
 * transaction as the case change that caused it (outbox). `body` is the exact JSON sent, so every
 * delivery of the event, replays included, carries the same bytes and the same event id.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhook_events')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('client_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('case_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('type', 'varchar(40)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_webhook_events_client', ['client_id'], 'api_clients', ['id'])
    .addForeignKeyConstraint('fk_webhook_events_case', ['case_id'], 'cases', ['id'], (c) => c.onDelete('cascade'))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_events').execute()
}
