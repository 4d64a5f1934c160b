import { type Kysely, MysqlAdapter, sql } from 'kysely'

/** The directory's dispute-type filter reads organisations by type. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('ix_organisation_dispute_types_type')
    .on('organisation_dispute_types')
    .columns(['dispute_type_code', 'org_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  // Issue 11 (migration tests): InnoDB needs an index on the foreign key column and dropped its own
  // implicit one when this index was created, so MySQL gets a plain one back in the same statement;
  // SQLite's DROP INDEX takes no ON.
  if (db.getExecutor().adapter instanceof MysqlAdapter) {
    await sql`ALTER TABLE organisation_dispute_types ADD INDEX ix_organisation_dispute_types_type_fk (dispute_type_code), DROP INDEX ix_organisation_dispute_types_type`.execute(
      db,
    )
    return
  }
  await db.schema.dropIndex('ix_organisation_dispute_types_type').execute()
}
