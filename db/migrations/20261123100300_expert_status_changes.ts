import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('expert_status_changes')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('expert_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('from_status', 'varchar(16)')
    .addColumn('to_status', 'varchar(16)', (c) => c.notNull())
    .addColumn('reason', 'varchar(500)', (c) => c.notNull())
    .addColumn('changed_by', 'varchar(26)')
    .addColumn('changed_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_expert_status_changes_expert', ['expert_id'], 'experts', ['person_id'], (c) => c.onDelete('cascade'))
    .execute()
  await db.schema.createIndex('ix_expert_status_changes_expert').on('expert_status_changes').columns(['expert_id', 'changed_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('expert_status_changes').execute()
}
