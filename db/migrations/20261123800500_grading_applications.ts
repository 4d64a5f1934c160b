import type { Kysely } from 'kysely'

/** Applications for a grade in a round, with the evidence snapshot and eligibility. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('grading_applications')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('round_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('person_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('org_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('grade_code', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('blind_code', 'varchar(24)', (c) => c.notNull())
    .addColumn('applied_by', 'varchar(26)', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('eligibility', 'text', (c) => c.notNull())
    .addColumn('eligible_auto', 'integer', (c) => c.notNull())
    .addColumn('override_verdict', 'varchar(16)')
    .addColumn('override_reason', 'varchar(1000)')
    .addColumn('override_by', 'varchar(26)')
    .addColumn('final_score', 'integer')
    .addColumn('rank_in_grade', 'integer')
    .addColumn('outcome_reason', 'varchar(1000)')
    .addColumn('submitted_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_grading_applications_round', ['round_id'], 'grading_rounds', ['id'], (c) => c.onDelete('cascade'))
    .addForeignKeyConstraint('fk_grading_applications_person', ['person_id'], 'people', ['id'])
    .addUniqueConstraint('uq_grading_applications_round_person', ['round_id', 'person_id'])
    .addUniqueConstraint('uq_grading_applications_round_blind_code', ['round_id', 'blind_code'])
    .execute()
  await db.schema
    .createIndex('ix_grading_applications_round_status_grade_code')
    .on('grading_applications')
    .columns(['round_id', 'status', 'grade_code'])
    .execute()
  await db.schema
    .createIndex('ix_grading_applications_person_submitted_at')
    .on('grading_applications')
    .columns(['person_id', 'submitted_at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('grading_applications').execute()
}
