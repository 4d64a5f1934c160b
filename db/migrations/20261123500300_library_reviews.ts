import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('library_reviews')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('submission_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('reviewer_user_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('reviewer_name', 'varchar(60)', (c) => c.notNull())
    .addColumn('decision', 'varchar(16)', (c) => c.notNull())
    // JSON: { truthfulness: 1-5, typicality, procedure, novelty, readability, exemplary }
    .addColumn('scores', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('comments', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_library_reviews_submission', ['submission_id'], 'library_submissions', ['id'], (c) =>
      c.onDelete('cascade'),
    )
    .execute()
  await db.schema.createIndex('ix_library_reviews_submission').on('library_reviews').columns(['submission_id', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('library_reviews').execute()
}
