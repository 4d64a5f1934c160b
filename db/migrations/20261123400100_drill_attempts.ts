import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('drill_attempts')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('drill_slug', 'varchar(100)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('person_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(26)', (c) => c.notNull())
    // Set when the attempt belongs to a drill event (练兵比武); its window bounds the deadline.
    .addColumn('event_id', 'varchar(26)')
    .addColumn('org_id', 'varchar(26)')
    .addColumn('region_code', 'varchar(12)')
    .addColumn('attempt_no', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('seed', 'varchar(40)', (c) => c.notNull())
    .addColumn('items', 'text')
    // Drafts can be long; MySQL's text stops at 64 KB.
    .addColumn('answers', sql`mediumtext`, (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('score', 'integer')
    .addColumn('passed', 'integer')
    .addColumn('started_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('last_seen_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('deadline_at', 'varchar(24)')
    .addColumn('submitted_at', 'varchar(24)')
    .addColumn('graded_at', 'varchar(24)')
    .addColumn('time_spent_seconds', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addForeignKeyConstraint('fk_drill_attempts_person', ['person_id'], 'people', ['id'], (c) => c.onDelete('cascade'))
    .addForeignKeyConstraint('fk_drill_attempts_user', ['user_id'], 'users', ['id'], (c) => c.onDelete('cascade'))
    // One attempt number per person and drill: a double click on "start" creates one attempt.
    .addUniqueConstraint('uq_drill_attempts_no', ['person_id', 'drill_slug', 'attempt_no'])
    .execute()
  await db.schema.createIndex('ix_drill_attempts_event').on('drill_attempts').columns(['event_id', 'drill_slug']).execute()
  await db.schema.createIndex('ix_drill_attempts_queue').on('drill_attempts').columns(['kind', 'status', 'submitted_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('drill_attempts').execute()
}
