import { type Kysely, MysqlAdapter } from 'kysely'

/**
 * One mediator's approved hours between two days, and whether they finished an online course,
 * from the index alone: what the training statistics read per mediator of a scope, and the
 * figures job per chunk of organisations (ADR 033), so their cost follows the scope. Without it
 * each mediator's records were read row by row for their dates: about 10 s for a city of 50,000
 * on MariaDB, against well under a second with it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('ix_training_records_person_completed')
    .on('training_records')
    .columns(['person_id', 'status', 'completed_on', 'hours_tenths', 'source', 'course_slug'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  // `DROP INDEX … ON table` is MySQL's syntax; SQLite names the index alone.
  const drop = db.schema.dropIndex('ix_training_records_person_completed')
  await (db.getExecutor().adapter instanceof MysqlAdapter ? drop.on('training_records') : drop).execute()
}
