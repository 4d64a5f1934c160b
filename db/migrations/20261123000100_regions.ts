import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('regions')
    .addColumn('code', 'varchar(12)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(64)', (c) => c.notNull())
    .addColumn('level', 'varchar(16)', (c) => c.notNull())
    .addColumn('parent_code', 'varchar(12)')
    .addColumn('path', 'varchar(160)', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addForeignKeyConstraint('fk_regions_parent', ['parent_code'], 'regions', ['code'])
    .execute()
  await db.schema.createIndex('ix_regions_parent').on('regions').column('parent_code').execute()
  await db.schema.createIndex('ix_regions_path').on('regions').column('path').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('regions').execute()
}
