import type { Kysely } from 'kysely'

/** One expert on one case (邀请 → 接受/拒绝 → 专家意见 → 评价); unique per case and expert. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_consultations')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('case_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('expert_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('source', 'varchar(16)', (c) => c.notNull())
    .addColumn('override_reason', 'varchar(1000)')
    .addColumn('mode', 'varchar(16)', (c) => c.notNull())
    .addColumn('deadline', 'varchar(10)', (c) => c.notNull())
    .addColumn('score_total', 'double precision')
    .addColumn('score_components', 'varchar(1000)')
    .addColumn('config_version', 'integer', (c) => c.notNull())
    .addColumn('invited_by', 'varchar(26)')
    .addColumn('invited_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('responded_at', 'varchar(24)')
    .addColumn('decline_reason', 'varchar(1000)')
    .addColumn('opinion_issues', 'text')
    .addColumn('opinion_analysis', 'text')
    .addColumn('opinion_resolution', 'text')
    .addColumn('opinion_legal_basis', 'text')
    .addColumn('hours_tenths', 'integer')
    .addColumn('submitted_at', 'varchar(24)')
    .addColumn('rating', 'integer')
    .addColumn('rating_comment', 'varchar(1000)')
    .addColumn('rated_by', 'varchar(26)')
    .addColumn('rated_at', 'varchar(24)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addForeignKeyConstraint('fk_case_consultations_case', ['case_id'], 'cases', ['id'], (c) => c.onDelete('cascade'))
    .addForeignKeyConstraint('fk_case_consultations_expert', ['expert_id'], 'experts', ['person_id'])
    .addUniqueConstraint('uq_case_consultations_pair', ['case_id', 'expert_id'])
    .execute()
  await db.schema.createIndex('ix_case_consultations_expert').on('case_consultations').columns(['expert_id', 'status']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('case_consultations').execute()
}
