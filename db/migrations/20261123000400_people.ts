import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('people')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(64)', (c) => c.notNull())
    .addColumn('gender', 'varchar(8)')
    .addColumn('birth_date', 'varchar(10)')
    .addColumn('id_number_enc', 'varchar(160)')
    .addColumn('id_number_hash', 'varchar(64)')
    .addColumn('id_number_masked', 'varchar(24)')
    .addColumn('phone_enc', 'varchar(160)')
    .addColumn('phone_hash', 'varchar(64)')
    .addColumn('phone_masked', 'varchar(16)')
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('org_id', 'varchar(26)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_people_region', ['region_code'], 'regions', ['code'])
    .addForeignKeyConstraint('fk_people_org', ['org_id'], 'organisations', ['id'])
    .addUniqueConstraint('uq_people_id_number_hash', ['id_number_hash'])
    .execute()
  await db.schema.createIndex('ix_people_phone_hash').on('people').column('phone_hash').execute()
  await db.schema.createIndex('ix_people_org').on('people').column('org_id').execute()
  await db.schema.createIndex('ix_people_region_name').on('people').columns(['region_code', 'name']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('people').execute()
}
