import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('expert_unavailability')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('expert_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('start_date', 'varchar(10)', (c) => c.notNull())
    .addColumn('end_date', 'varchar(10)', (c) => c.notNull())
    .addColumn('reason', 'varchar(200)')
    .addColumn('entered_by', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_by', 'varchar(26)')
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_expert_unavailability_expert', ['expert_id'], 'experts', ['person_id'], (c) => c.onDelete('cascade'))
    .execute()
  // Matching asks "who is away on this day": by expert, newest periods last.
  await db.schema.createIndex('ix_expert_unavailability_expert').on('expert_unavailability').columns(['expert_id', 'end_date']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('expert_unavailability').execute()
}
