import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('library_notes')
    .addColumn('user_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('case_key', 'varchar(100)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(24)', (c) => c.notNull())
    .addPrimaryKeyConstraint('pk_library_notes', ['user_id', 'case_key'])
    .addForeignKeyConstraint('fk_library_notes_user', ['user_id'], 'users', ['id'], (c) => c.onDelete('cascade'))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('library_notes').execute()
}
