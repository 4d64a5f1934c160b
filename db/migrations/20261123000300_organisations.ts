import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('organisations')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(128)', (c) => c.notNull())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('sector_code', 'varchar(32)')
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('parent_id', 'varchar(26)')
    .addColumn('address', 'varchar(255)')
    .addColumn('contact_phone', 'varchar(32)')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_organisations_region', ['region_code'], 'regions', ['code'])
    .addForeignKeyConstraint('fk_organisations_parent', ['parent_id'], 'organisations', ['id'])
    .addForeignKeyConstraint('fk_organisations_sector', ['sector_code'], 'dispute_types', ['code'])
    .execute()
  await db.schema.createIndex('ix_organisations_region').on('organisations').columns(['region_code', 'kind']).execute()
  await db.schema.createIndex('ix_organisations_parent').on('organisations').column('parent_id').execute()
  await db.schema.createIndex('ix_organisations_name').on('organisations').column('name').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('organisations').execute()
}
