import type { Kysely } from 'kysely'

/** Reviewers' declared conflicts with applicants. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('grading_reviewer_conflicts')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('round_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('person_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('reason', 'varchar(500)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_grading_reviewer_conflicts_round', ['round_id'], 'grading_rounds', ['id'], (c) => c.onDelete('cascade'))
    .addUniqueConstraint('uq_grading_reviewer_conflicts_round_user_person', ['round_id', 'user_id', 'person_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('grading_reviewer_conflicts').execute()
}
