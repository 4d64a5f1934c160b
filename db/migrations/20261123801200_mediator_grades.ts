import type { Kysely } from 'kysely'

/** Mediators' grade history: awards, demotions, revocations. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mediator_grades')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('person_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('association_org_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('grade_code', 'varchar(16)', (c) => c.notNull())
    .addColumn('grade_name', 'varchar(40)', (c) => c.notNull())
    .addColumn('grade_rank', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('valid_from', 'varchar(10)', (c) => c.notNull())
    .addColumn('valid_until', 'varchar(10)', (c) => c.notNull())
    .addColumn('source', 'varchar(16)', (c) => c.notNull())
    .addColumn('round_id', 'varchar(26)')
    .addColumn('application_id', 'varchar(26)')
    .addColumn('change_reason', 'varchar(1000)')
    .addColumn('notice_start_on', 'varchar(10)')
    .addColumn('notice_end_on', 'varchar(10)')
    .addColumn('changed_by', 'varchar(26)')
    .addColumn('changed_at', 'varchar(24)')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_mediator_grades_person', ['person_id'], 'people', ['id'], (c) => c.onDelete('cascade'))
    .addForeignKeyConstraint('fk_mediator_grades_association_org', ['association_org_id'], 'organisations', ['id'])
    .execute()
  await db.schema.createIndex('ix_mediator_grades_person_valid_from').on('mediator_grades').columns(['person_id', 'valid_from']).execute()
  await db.schema.createIndex('ix_mediator_grades_status_valid_until').on('mediator_grades').columns(['status', 'valid_until']).execute()
  await db.schema
    .createIndex('ix_mediator_grades_association_org_status')
    .on('mediator_grades')
    .columns(['association_org_id', 'status'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mediator_grades').execute()
}
