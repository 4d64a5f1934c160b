import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('library_bookmarks')
    .addColumn('user_id', 'varchar(26)', (c) => c.notNull())
    // A curated case's slug or an accepted submission's id.
    .addColumn('case_key', 'varchar(100)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addPrimaryKeyConstraint('pk_library_bookmarks', ['user_id', 'case_key'])
    .addForeignKeyConstraint('fk_library_bookmarks_user', ['user_id'], 'users', ['id'], (c) => c.onDelete('cascade'))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('library_bookmarks').execute()
}
