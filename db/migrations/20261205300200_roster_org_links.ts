import type { Kysely } from 'kysely'

/**
 * The organisation code a source system uses for a Tiaojie organisation: the key roster sync
 * matches organisation rows by. One code per organisation and source, one organisation per code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('roster_org_links')
    .addColumn('source_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('code', 'varchar(64)', (c) => c.notNull())
    .addColumn('org_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addPrimaryKeyConstraint('pk_roster_org_links', ['source_id', 'code'])
    .addForeignKeyConstraint('fk_roster_org_links_source', ['source_id'], 'roster_sources', ['id'])
    .addForeignKeyConstraint('fk_roster_org_links_org', ['org_id'], 'organisations', ['id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('roster_org_links').execute()
}
