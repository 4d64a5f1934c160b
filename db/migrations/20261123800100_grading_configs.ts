import type { Kysely } from 'kysely'

/** Versioned grading rules per association (ladder, conditions, rubric as JSON). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('grading_configs')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('association_org_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('version_no', 'integer', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('note', 'varchar(500)')
    .addColumn('created_by', 'varchar(26)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_grading_configs_association_org', ['association_org_id'], 'organisations', ['id'])
    .addUniqueConstraint('uq_grading_configs_association_org_version_no', ['association_org_id', 'version_no'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('grading_configs').execute()
}
