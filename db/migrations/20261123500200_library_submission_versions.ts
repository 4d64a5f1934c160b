import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('library_submission_versions')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('submission_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    // JSON snapshot of the submission as submitted (metadata and the four sections).
    .addColumn('snapshot', sql`mediumtext`, (c) => c.notNull())
    .addColumn('created_by', 'varchar(26)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_library_versions_submission', ['submission_id'], 'library_submissions', ['id'], (c) =>
      c.onDelete('cascade'),
    )
    .addUniqueConstraint('uq_library_versions_revision', ['submission_id', 'revision'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('library_submission_versions').execute()
}
