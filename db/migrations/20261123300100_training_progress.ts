import type { Kysely } from 'kysely'

/** One row per mediator and course module: when the server first served it, when it was completed. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('training_progress')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('person_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('course_slug', 'varchar(80)', (c) => c.notNull())
    .addColumn('module_slug', 'varchar(80)', (c) => c.notNull())
    .addColumn('started_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('last_seen_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('completed_at', 'varchar(24)')
    .addColumn('content_hash', 'varchar(64)')
    .addColumn('check_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('check_score', 'integer')
    .addForeignKeyConstraint('fk_training_progress_person', ['person_id'], 'people', ['id'], (c) => c.onDelete('cascade'))
    .addUniqueConstraint('uq_training_progress_module', ['person_id', 'course_slug', 'module_slug'])
    .execute()
  await db.schema.createIndex('ix_training_progress_recent').on('training_progress').columns(['person_id', 'last_seen_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('training_progress').execute()
}
