import type { Kysely } from 'kysely'

/**
 * The training archive (培训档案): online course completions, offline attendance and external
 * records. `completion_key` is unique, so an online course is credited exactly once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('training_records')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('person_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('source', 'varchar(16)', (c) => c.notNull())
    .addColumn('completion_key', 'varchar(160)', (c) => c.notNull())
    .addColumn('course_slug', 'varchar(80)')
    // The offline session (training_sessions) an attendance belongs to.
    .addColumn('session_id', 'varchar(26)')
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('format', 'varchar(16)', (c) => c.notNull())
    .addColumn('organiser', 'varchar(200)')
    .addColumn('hours_tenths', 'integer', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('completed_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('assessment', 'varchar(100)')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('created_by', 'varchar(26)')
    .addForeignKeyConstraint('fk_training_records_person', ['person_id'], 'people', ['id'], (c) => c.onDelete('cascade'))
    .addUniqueConstraint('uq_training_records_completion', ['completion_key'])
    .execute()
  // Hours per mediator and year (archive, compliance): both directions are aggregated.
  await db.schema.createIndex('ix_training_records_person_year').on('training_records').columns(['person_id', 'year', 'status']).execute()
  // Covering (hours included) for the compliance report's per-person sums over a year.
  await db.schema
    .createIndex('ix_training_records_year')
    .on('training_records')
    .columns(['year', 'status', 'person_id', 'hours_tenths'])
    .execute()
  await db.schema.createIndex('ix_training_records_session').on('training_records').columns(['session_id']).execute()
  // Who has done pre-service training.
  await db.schema.createIndex('ix_training_records_kind').on('training_records').columns(['kind', 'status', 'person_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('training_records').execute()
}
