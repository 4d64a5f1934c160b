import type { Kysely } from 'kysely'

/**
 * One attempt-series to send an event: the original, or a replay staff asked for. A worker claims a
 * due row with a conditional UPDATE (status, version), so with several app servers each attempt is
 * made by one of them. `open_event_id` holds the event id while the delivery is pending or sending
 * and is cleared when it ends: its unique key allows one open delivery per event, which makes a
 * double-submitted replay create one row.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('event_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('client_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('kind', 'varchar(12)', (c) => c.notNull())
    .addColumn('status', 'varchar(12)', (c) => c.notNull())
    .addColumn('open_event_id', 'varchar(26)', (c) => c.unique())
    .addColumn('attempt_count', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'varchar(24)')
    .addColumn('claimed_by', 'varchar(60)')
    .addColumn('claim_expires_at', 'varchar(24)')
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'varchar(300)')
    .addColumn('delivered_at', 'varchar(24)')
    .addColumn('requested_by', 'varchar(26)')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_webhook_deliveries_event', ['event_id'], 'webhook_events', ['id'], (c) => c.onDelete('cascade'))
    .addForeignKeyConstraint('fk_webhook_deliveries_client', ['client_id'], 'api_clients', ['id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_deliveries').execute()
}
