import { type Kysely, sql } from 'kysely'

/**
 * Staged expert imports: an uploaded spreadsheet, checked, waiting for the user's decision and
 * then imported in chunks. The rows that passed are kept encrypted (they hold ID and phone
 * numbers) and cleared once the import ends; the report holds names, row numbers and messages only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('expert_import_batches')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('created_by', 'varchar(26)', (c) => c.notNull())
    .addColumn('file_name', 'varchar(200)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('mode', 'varchar(8)')
    .addColumn('total_rows', 'integer', (c) => c.notNull())
    .addColumn('good_rows', 'integer', (c) => c.notNull())
    .addColumn('bad_rows', 'integer', (c) => c.notNull())
    .addColumn('existing_rows', 'integer', (c) => c.notNull())
    .addColumn('next_index', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('imported_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped_rows', 'integer', (c) => c.notNull().defaultTo(0))
    // JSON report and the encrypted rows: a few MB for the largest accepted file.
    .addColumn('report', sql`mediumtext`, (c) => c.notNull())
    .addColumn('payload', sql`mediumtext`, (c) => c.notNull())
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_expert_import_batches_user', ['created_by'], 'users', ['id'])
    .execute()
  await db.schema.createIndex('ix_expert_import_batches_user').on('expert_import_batches').columns(['created_by', 'created_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('expert_import_batches').execute()
}
