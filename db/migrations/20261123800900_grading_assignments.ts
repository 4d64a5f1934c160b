import type { Kysely } from 'kysely'

/** Reviewer assignments with their (blind, final) scores. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('grading_assignments')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('application_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('round_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('reviewer_user_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('reason', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('scores', 'text')
    .addColumn('total', 'integer')
    .addColumn('assigned_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('submitted_at', 'varchar(24)')
    .addForeignKeyConstraint('fk_grading_assignments_application', ['application_id'], 'grading_applications', ['id'], (c) =>
      c.onDelete('cascade'),
    )
    .addForeignKeyConstraint('fk_grading_assignments_round', ['round_id'], 'grading_rounds', ['id'], (c) => c.onDelete('cascade'))
    .addUniqueConstraint('uq_grading_assignments_application_reviewer_user', ['application_id', 'reviewer_user_id'])
    .execute()
  await db.schema
    .createIndex('ix_grading_assignments_reviewer_user_status')
    .on('grading_assignments')
    .columns(['reviewer_user_id', 'status'])
    .execute()
  await db.schema.createIndex('ix_grading_assignments_round_status').on('grading_assignments').columns(['round_id', 'status']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('grading_assignments').execute()
}
