import type { Kysely } from 'kysely'

/** Each HTTP attempt of a delivery: when, how long, the receiver's status code or the error. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('delivery_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('attempt_no', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'varchar(300)')
    .addColumn('response_excerpt', 'varchar(500)')
    .addForeignKeyConstraint('fk_webhook_attempts_delivery', ['delivery_id'], 'webhook_deliveries', ['id'], (c) => c.onDelete('cascade'))
    .addUniqueConstraint('uq_webhook_attempts_no', ['delivery_id', 'attempt_no'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_attempts').execute()
}
