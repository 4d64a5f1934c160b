import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('expert_terms')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('expert_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('start_date', 'varchar(10)', (c) => c.notNull())
    .addColumn('end_date', 'varchar(10)', (c) => c.notNull())
    .addColumn('note', 'varchar(500)')
    .addColumn('created_by', 'varchar(26)')
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_expert_terms_expert', ['expert_id'], 'experts', ['person_id'], (c) => c.onDelete('cascade'))
    .execute()
  await db.schema.createIndex('ix_expert_terms_expert').on('expert_terms').columns(['expert_id', 'start_date']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('expert_terms').execute()
}
