import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('drill_grades')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('attempt_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('grader_user_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('scores', 'text', (c) => c.notNull())
    .addColumn('comment', 'varchar(4000)')
    .addColumn('total_tenths', 'integer', (c) => c.notNull())
    .addColumn('percent', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addForeignKeyConstraint('fk_drill_grades_attempt', ['attempt_id'], 'drill_attempts', ['id'], (c) => c.onDelete('cascade'))
    .addForeignKeyConstraint('fk_drill_grades_grader', ['grader_user_id'], 'users', ['id'], (c) => c.onDelete('cascade'))
    .addUniqueConstraint('uq_drill_grades_grader', ['attempt_id', 'grader_user_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('drill_grades').execute()
}
