import type { Kysely } from 'kysely'

/** Each recommendation run for a case, with every listed expert's score components (JSON). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_recommendations')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('case_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('config_version', 'integer', (c) => c.notNull())
    .addColumn('eligible_count', 'integer', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('excluded', 'text', (c) => c.notNull())
    .addColumn('created_by', 'varchar(26)')
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_case_recommendations_case', ['case_id'], 'cases', ['id'], (c) => c.onDelete('cascade'))
    .execute()
  await db.schema.createIndex('ix_case_recommendations_case').on('case_recommendations').columns(['case_id', 'created_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('case_recommendations').execute()
}
