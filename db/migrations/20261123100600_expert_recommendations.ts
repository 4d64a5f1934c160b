import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('expert_recommendations')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('expert_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('from_tier', 'varchar(16)', (c) => c.notNull())
    .addColumn('from_region_code', 'varchar(12)')
    .addColumn('to_tier', 'varchar(16)', (c) => c.notNull())
    .addColumn('to_region_code', 'varchar(12)')
    .addColumn('reason', 'varchar(1000)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('decision_reason', 'varchar(1000)')
    .addColumn('recommended_by', 'varchar(26)')
    .addColumn('recommended_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('decided_by', 'varchar(26)')
    .addColumn('decided_at', 'varchar(24)')
    .addColumn('pending_key', 'varchar(26)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addForeignKeyConstraint('fk_expert_recommendations_expert', ['expert_id'], 'experts', ['person_id'], (c) => c.onDelete('cascade'))
    .addForeignKeyConstraint('fk_expert_recommendations_to_region', ['to_region_code'], 'regions', ['code'])
    // One pending recommendation per expert (NULLs do not collide on either dialect).
    .addUniqueConstraint('uq_expert_recommendations_pending', ['pending_key'])
    .execute()
  await db.schema
    .createIndex('ix_expert_recommendations_inbox')
    .on('expert_recommendations')
    .columns(['status', 'to_region_code', 'recommended_at'])
    .execute()
  await db.schema
    .createIndex('ix_expert_recommendations_expert')
    .on('expert_recommendations')
    .columns(['expert_id', 'recommended_at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('expert_recommendations').execute()
}
