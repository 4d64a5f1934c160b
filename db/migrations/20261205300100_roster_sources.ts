import type { Kysely } from 'kysely'

/**
 * Roster sync (issue 12, part 4): the systems whose exports are imported (the provincial mediation
 * management system, or another), each with the column mapping last saved for its organisation
 * and mediator files (JSON: field → source header).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('roster_sources')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(100)', (c) => c.notNull().unique())
    .addColumn('org_mapping', 'text', (c) => c.notNull())
    .addColumn('mediator_mapping', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'varchar(26)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_roster_sources_user', ['created_by'], 'users', ['id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('roster_sources').execute()
}
