import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('role_grants')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('user_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('role', 'varchar(32)', (c) => c.notNull())
    .addColumn('region_code', 'varchar(12)')
    .addColumn('org_id', 'varchar(26)')
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('created_by', 'varchar(26)')
    .addForeignKeyConstraint('fk_role_grants_user', ['user_id'], 'users', ['id'], (c) => c.onDelete('cascade'))
    .addForeignKeyConstraint('fk_role_grants_region', ['region_code'], 'regions', ['code'])
    .addForeignKeyConstraint('fk_role_grants_org', ['org_id'], 'organisations', ['id'])
    .execute()
  await db.schema.createIndex('ix_role_grants_user').on('role_grants').column('user_id').execute()
  await db.schema.createIndex('ix_role_grants_role').on('role_grants').columns(['role', 'region_code']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('role_grants').execute()
}
