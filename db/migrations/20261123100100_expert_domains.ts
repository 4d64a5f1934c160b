import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('expert_domains')
    .addColumn('expert_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('dispute_type_code', 'varchar(32)', (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addPrimaryKeyConstraint('pk_expert_domains', ['expert_id', 'role', 'dispute_type_code'])
    .addForeignKeyConstraint('fk_expert_domains_expert', ['expert_id'], 'experts', ['person_id'], (c) => c.onDelete('cascade'))
    .addForeignKeyConstraint('fk_expert_domains_type', ['dispute_type_code'], 'dispute_types', ['code'])
    .execute()
  // Roster filters ("experts whose domain is 医疗") and matching start from the dispute type.
  await db.schema.createIndex('ix_expert_domains_type').on('expert_domains').columns(['dispute_type_code', 'role', 'expert_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('expert_domains').execute()
}
