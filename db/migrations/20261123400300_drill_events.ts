import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('drill_events')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('slugs', 'text', (c) => c.notNull())
    .addColumn('region_code', 'varchar(12)')
    .addColumn('org_id', 'varchar(26)')
    .addColumn('starts_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('ends_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('created_by', 'varchar(26)')
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addForeignKeyConstraint('fk_drill_events_region', ['region_code'], 'regions', ['code'])
    .addForeignKeyConstraint('fk_drill_events_org', ['org_id'], 'organisations', ['id'])
    .execute()
  await db.schema.createIndex('ix_drill_events_window').on('drill_events').columns(['ends_at', 'starts_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('drill_events').execute()
}
