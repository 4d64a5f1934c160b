import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('expert_conflicts')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('expert_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('name', 'varchar(128)', (c) => c.notNull())
    .addColumn('org_id', 'varchar(26)')
    .addColumn('id_number_hash', 'varchar(64)')
    .addColumn('id_number_masked', 'varchar(24)')
    .addColumn('note', 'varchar(500)')
    .addColumn('start_date', 'varchar(10)')
    .addColumn('end_date', 'varchar(10)')
    .addColumn('declared_by', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_by', 'varchar(26)')
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_expert_conflicts_expert', ['expert_id'], 'experts', ['person_id'], (c) => c.onDelete('cascade'))
    .addForeignKeyConstraint('fk_expert_conflicts_org', ['org_id'], 'organisations', ['id'])
    .execute()
  await db.schema.createIndex('ix_expert_conflicts_expert').on('expert_conflicts').column('expert_id').execute()
  // Matching looks up a party's ID hash or organisation across all experts.
  await db.schema.createIndex('ix_expert_conflicts_id_hash').on('expert_conflicts').column('id_number_hash').execute()
  await db.schema.createIndex('ix_expert_conflicts_org').on('expert_conflicts').column('org_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('expert_conflicts').execute()
}
