import type { Kysely } from 'kysely'

/**
 * Each expert's current load and history from consultations. `active_count` is only ever raised by
 * a conditional update (`where active_count < max_concurrent_cases`), so concurrent invitations
 * can never take an expert above capacity.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('expert_loads')
    .addColumn('expert_id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('active_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('completed_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rating_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rating_sum', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hours_tenths', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_assigned_on', 'varchar(10)')
    .addColumn('updated_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_expert_loads_expert', ['expert_id'], 'experts', ['person_id'], (c) => c.onDelete('cascade'))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('expert_loads').execute()
}
