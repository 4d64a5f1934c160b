import type { Kysely } from 'kysely'

/** Single-use recovery codes: only a SHA-256 hash of each is kept; `used_at` marks a spent one. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('two_factor_recovery_codes')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('user_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('code_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('used_at', 'varchar(24)')
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_two_factor_recovery_codes_user', ['user_id'], 'users', ['id'], (c) => c.onDelete('cascade'))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('two_factor_recovery_codes').execute()
}
