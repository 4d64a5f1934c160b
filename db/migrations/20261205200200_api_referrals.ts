import type { Kysely } from 'kysely'

/**
 * A difficult case referred by a partner system (诉调/警调对接): which client referred it, under
 * which of its own references, and the idempotency key that makes a retried POST create one case.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('api_referrals')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('client_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('case_id', 'varchar(26)', (c) => c.notNull().unique())
    .addColumn('external_ref', 'varchar(100)', (c) => c.notNull())
    .addColumn('idempotency_key', 'varchar(100)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_api_referrals_client', ['client_id'], 'api_clients', ['id'])
    .addForeignKeyConstraint('fk_api_referrals_case', ['case_id'], 'cases', ['id'], (c) => c.onDelete('cascade'))
    .addUniqueConstraint('uq_api_referrals_client_key', ['client_id', 'idempotency_key'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('api_referrals').execute()
}
