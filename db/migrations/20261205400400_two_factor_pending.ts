import type { Kysely } from 'kysely'

/**
 * A sign-in half done: the password was right, the second step (a code, or enrolment for a role
 * that requires a second factor) is still owed. Not a session: it opens nothing but the second
 * step. Only SHA-256 of the token in the browser's cookie is stored; it lives minutes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('two_factor_pending')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('purpose', 'varchar(12)', (c) => c.notNull())
    .addColumn('redirect_to', 'varchar(500)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_two_factor_pending_user', ['user_id'], 'users', ['id'], (c) => c.onDelete('cascade'))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('two_factor_pending').execute()
}
