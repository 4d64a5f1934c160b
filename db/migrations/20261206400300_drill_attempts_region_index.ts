import { type Kysely, MysqlAdapter } from 'kysely'

/**
 * The drill statistics of a district (score bands, results per drill) from the index alone: its
 * few region codes, then the period, with every column the two counts read. Without it MariaDB
 * scanned every attempt of the database for any district: about 1.1 s for a district of a
 * province (200,000 attempts), 15 ms with it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('ix_drill_attempts_region_submitted')
    .on('drill_attempts')
    .columns(['region_code', 'submitted_at', 'score', 'drill_slug', 'kind', 'passed', 'person_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  // `DROP INDEX … ON table` is MySQL's syntax; SQLite names the index alone.
  const drop = db.schema.dropIndex('ix_drill_attempts_region_submitted')
  await (db.getExecutor().adapter instanceof MysqlAdapter ? drop.on('drill_attempts') : drop).execute()
}
