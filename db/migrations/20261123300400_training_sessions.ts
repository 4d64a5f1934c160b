import type { Kysely } from 'kysely'

/** Offline training sessions (培训班); attendance is a training_records row per mediator (source offline, session_id set). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('training_sessions')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('format', 'varchar(16)', (c) => c.notNull())
    .addColumn('organiser', 'varchar(200)', (c) => c.notNull())
    .addColumn('organiser_level', 'varchar(16)', (c) => c.notNull())
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('org_id', 'varchar(26)')
    .addColumn('start_date', 'varchar(10)', (c) => c.notNull())
    .addColumn('end_date', 'varchar(10)', (c) => c.notNull())
    .addColumn('hours_tenths', 'integer', (c) => c.notNull())
    .addColumn('trainer', 'varchar(200)')
    .addColumn('location', 'varchar(200)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'varchar(26)')
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_training_sessions_region', ['region_code'], 'regions', ['code'])
    .addForeignKeyConstraint('fk_training_sessions_org', ['org_id'], 'organisations', ['id'])
    .execute()
  await db.schema.createIndex('ix_training_sessions_region').on('training_sessions').columns(['region_code', 'start_date']).execute()
  await db.schema.createIndex('ix_training_sessions_org').on('training_sessions').columns(['org_id', 'start_date']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('training_sessions').execute()
}
