import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('username', 'varchar(64)', (c) => c.notNull())
    .addColumn('display_name', 'varchar(64)', (c) => c.notNull())
    .addColumn('password_hash', 'varchar(255)')
    .addColumn('person_id', 'varchar(26)')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('last_sign_in_at', 'varchar(24)')
    .addColumn('password_changed_at', 'varchar(24)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_users_person', ['person_id'], 'people', ['id'])
    .addUniqueConstraint('uq_users_username', ['username'])
    .execute()
  await db.schema.createIndex('ix_users_person').on('users').column('person_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('users').execute()
}
