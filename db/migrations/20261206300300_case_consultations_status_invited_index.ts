import { type Kysely, MysqlAdapter } from 'kysely'

/**
 * The staff home's stale invitations (invitations still `invited` after a few days, within the
 * user's cases): the few open invitations among all consultations, by status and invitation time,
 * with the case they belong to. Without it MariaDB walked every case of a city scope and probed
 * its consultations (about 1.2 s at city scale on a loaded machine; a few ms with it).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('ix_case_consultations_status_invited')
    .on('case_consultations')
    .columns(['status', 'invited_at', 'case_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  // `DROP INDEX … ON table` is MySQL's syntax; SQLite names the index alone.
  const drop = db.schema.dropIndex('ix_case_consultations_status_invited')
  await (db.getExecutor().adapter instanceof MysqlAdapter ? drop.on('case_consultations') : drop).execute()
}
