import type { Kysely } from 'kysely'

/** Evaluation rounds run by an association. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('grading_rounds')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('association_org_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('config_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('grade_codes', 'text', (c) => c.notNull())
    .addColumn('quotas', 'text', (c) => c.notNull())
    .addColumn('applications_open_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('applications_close_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('notice_start_on', 'varchar(10)')
    .addColumn('notice_end_on', 'varchar(10)')
    .addColumn('committee', 'text', (c) => c.notNull())
    .addColumn('created_by', 'varchar(26)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_grading_rounds_association_org', ['association_org_id'], 'organisations', ['id'])
    .addForeignKeyConstraint('fk_grading_rounds_config', ['config_id'], 'grading_configs', ['id'])
    .execute()
  await db.schema
    .createIndex('ix_grading_rounds_association_org_created_at')
    .on('grading_rounds')
    .columns(['association_org_id', 'created_at'])
    .execute()
  await db.schema.createIndex('ix_grading_rounds_status_notice_end_on').on('grading_rounds').columns(['status', 'notice_end_on']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('grading_rounds').execute()
}
