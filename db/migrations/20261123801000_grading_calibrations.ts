import type { Kysely } from 'kysely'

/** Reviewers' calibration scores on sample applications. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('grading_calibrations')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('round_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('reviewer_user_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('sample_key', 'varchar(40)', (c) => c.notNull())
    .addColumn('scores', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('reference_total', 'integer', (c) => c.notNull())
    .addColumn('deviation', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_grading_calibrations_round', ['round_id'], 'grading_rounds', ['id'], (c) => c.onDelete('cascade'))
    .addUniqueConstraint('uq_grading_calibrations_round_reviewer_user_sample_key', ['round_id', 'reviewer_user_id', 'sample_key'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('grading_calibrations').execute()
}
