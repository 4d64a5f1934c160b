import type { Kysely } from 'kysely'

// The expert profile (专家库). Indexes serve the roster: each sort key with the id as tie-breaker
// for keyset pagination, and the filters staff use most (region scope, status, tier, term end).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('experts')
    .addColumn('person_id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(64)', (c) => c.notNull())
    .addColumn('tier', 'varchar(16)', (c) => c.notNull())
    .addColumn('region_code', 'varchar(12)')
    .addColumn('appointing_org_id', 'varchar(26)')
    .addColumn('employer', 'varchar(128)', (c) => c.notNull())
    .addColumn('employer_org_id', 'varchar(26)')
    .addColumn('title', 'varchar(64)')
    .addColumn('professions', 'varchar(255)', (c) => c.notNull())
    .addColumn('languages', 'varchar(255)', (c) => c.notNull())
    .addColumn('bio', 'text')
    .addColumn('photo_file', 'varchar(64)')
    .addColumn('photo_type', 'varchar(16)')
    .addColumn('term_start', 'varchar(10)', (c) => c.notNull())
    .addColumn('term_end', 'varchar(10)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('max_concurrent_cases', 'integer', (c) => c.notNull())
    .addColumn('contact_preference', 'varchar(16)', (c) => c.notNull())
    .addColumn('contact_note', 'varchar(200)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('created_by', 'varchar(26)')
    .addForeignKeyConstraint('fk_experts_person', ['person_id'], 'people', ['id'], (c) => c.onDelete('cascade'))
    .addForeignKeyConstraint('fk_experts_region', ['region_code'], 'regions', ['code'])
    .addForeignKeyConstraint('fk_experts_appointing_org', ['appointing_org_id'], 'organisations', ['id'])
    .addForeignKeyConstraint('fk_experts_employer_org', ['employer_org_id'], 'organisations', ['id'])
    .execute()
  await db.schema.createIndex('ix_experts_name').on('experts').columns(['name', 'person_id']).execute()
  await db.schema.createIndex('ix_experts_term_end').on('experts').columns(['term_end', 'person_id']).execute()
  await db.schema.createIndex('ix_experts_updated').on('experts').columns(['updated_at', 'person_id']).execute()
  // Scope (region in a list) with the status and tier filters: the roster's counts read only this index.
  await db.schema.createIndex('ix_experts_scope').on('experts').columns(['region_code', 'status', 'tier', 'name']).execute()
  await db.schema.createIndex('ix_experts_status_term').on('experts').columns(['status', 'term_end']).execute()
  await db.schema.createIndex('ix_experts_tier_name').on('experts').columns(['tier', 'name', 'person_id']).execute()
  await db.schema.createIndex('ix_experts_employer_org').on('experts').column('employer_org_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('experts').execute()
}
