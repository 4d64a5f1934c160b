import { type Kysely, MysqlAdapter } from 'kysely'

/**
 * The case list's page of ids (newest first within a scope's regions) read from the index alone:
 * region_code for the scope, status for the open-cases filter, registered_at for the order and
 * the primary key InnoDB appends for the page (docs/decisions/031-load-test-findings.md). It
 * leaves ix_cases_region_status a redundant prefix, kept here so this change only adds.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('ix_cases_region_registered').on('cases').columns(['region_code', 'status', 'registered_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  // `DROP INDEX … ON table` is MySQL's syntax; SQLite names the index alone.
  const drop = db.schema.dropIndex('ix_cases_region_registered')
  await (db.getExecutor().adapter instanceof MysqlAdapter ? drop.on('cases') : drop).execute()
}
