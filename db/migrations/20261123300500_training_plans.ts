import type { Kysely } from 'kysely'

/**
 * Annual training plans per region or organisation: required 学时 per mediator category and the
 * pre-service requirement for new mediators. One plan per scope and year (`scope_key` unique).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('training_plans')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('scope_key', 'varchar(40)', (c) => c.notNull())
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('org_id', 'varchar(26)')
    .addColumn('full_time_tenths', 'integer', (c) => c.notNull())
    .addColumn('part_time_tenths', 'integer', (c) => c.notNull())
    .addColumn('sector_tenths', 'integer', (c) => c.notNull())
    .addColumn('pre_service_months', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'varchar(26)')
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_training_plans_region', ['region_code'], 'regions', ['code'])
    .addForeignKeyConstraint('fk_training_plans_org', ['org_id'], 'organisations', ['id'])
    .addUniqueConstraint('uq_training_plans_scope_year', ['scope_key', 'year'])
    .execute()
  await db.schema.createIndex('ix_training_plans_region').on('training_plans').columns(['region_code', 'year']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('training_plans').execute()
}
