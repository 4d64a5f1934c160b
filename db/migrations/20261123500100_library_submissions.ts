import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('library_submissions')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('author_user_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('author_person_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('org_id', 'varchar(26)')
    // Region of the author's organisation when the draft was made: who may review it.
    .addColumn('scope_region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('title', 'varchar(120)', (c) => c.notNull())
    .addColumn('dispute_type', 'varchar(32)', (c) => c.notNull())
    .addColumn('domains', 'text', (c) => c.notNull())
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('source', 'varchar(16)', (c) => c.notNull())
    .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
    .addColumn('amount_range', 'varchar(16)', (c) => c.notNull())
    .addColumn('techniques', 'text', (c) => c.notNull())
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('summary', 'varchar(200)', (c) => c.notNull())
    .addColumn('facts', sql`mediumtext`, (c) => c.notNull())
    .addColumn('process', sql`mediumtext`, (c) => c.notNull())
    .addColumn('result', sql`mediumtext`, (c) => c.notNull())
    .addColumn('commentary', sql`mediumtext`, (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('submitted_at', 'varchar(24)')
    .addColumn('accepted_at', 'varchar(24)')
    .addColumn('accepted_by', 'varchar(26)')
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_library_submissions_author', ['author_user_id'], 'users', ['id'])
    .execute()
  await db.schema.createIndex('ix_library_submissions_author').on('library_submissions').columns(['author_person_id', 'id']).execute()
  await db.schema.createIndex('ix_library_submissions_status').on('library_submissions').columns(['status', 'scope_region_code']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('library_submissions').execute()
}
