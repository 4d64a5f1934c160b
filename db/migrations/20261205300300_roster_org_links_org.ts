import { type Kysely, MysqlAdapter } from 'kysely'

/** One code per organisation and source. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('uq_roster_org_links_org').unique().on('roster_org_links').columns(['source_id', 'org_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  // Issue 11 (migration tests): `DROP INDEX … ON table` is MySQL's syntax; SQLite names the index alone.
  const drop = db.schema.dropIndex('uq_roster_org_links_org')
  await (db.getExecutor().adapter instanceof MysqlAdapter ? drop.on('roster_org_links') : drop).execute()
}
