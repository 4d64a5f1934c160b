import { type Kysely, MysqlAdapter, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('ix_two_factor_recovery_codes_user').on('two_factor_recovery_codes').column('user_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  // Issue 11 (migration tests): InnoDB needs an index on the foreign key column and dropped its own
  // implicit one when this index was created, so MySQL gets a plain one back in the same statement;
  // SQLite's DROP INDEX takes no ON.
  if (db.getExecutor().adapter instanceof MysqlAdapter) {
    await sql`ALTER TABLE two_factor_recovery_codes ADD INDEX ix_two_factor_recovery_codes_user_fk (user_id), DROP INDEX ix_two_factor_recovery_codes_user`.execute(
      db,
    )
    return
  }
  await db.schema.dropIndex('ix_two_factor_recovery_codes_user').execute()
}
