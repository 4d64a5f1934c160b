import type { Kysely } from 'kysely'

/**
 * One TOTP second factor per account (issue 11, two-factor sign-in). Secrets are sealed with the
 * data key (AES-256-GCM) because the server must read them to check codes. `candidate_secret_enc`
 * holds a secret being enrolled until a valid code confirms it; `last_used_step` is the 30-second
 * step of the last accepted code, so the same code cannot be used twice (replay).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('user_two_factor')
    .addColumn('user_id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('secret_enc', 'varchar(200)')
    .addColumn('confirmed_at', 'varchar(24)')
    .addColumn('last_used_step', 'integer', (c) => c.notNull())
    .addColumn('candidate_secret_enc', 'varchar(200)')
    .addColumn('candidate_created_at', 'varchar(24)')
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_user_two_factor_user', ['user_id'], 'users', ['id'], (c) => c.onDelete('cascade'))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('user_two_factor').execute()
}
