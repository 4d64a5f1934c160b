import type { Kysely } from 'kysely'

/** Every status change of a grading round. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('grading_round_events')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('round_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('from_status', 'varchar(16)')
    .addColumn('to_status', 'varchar(16)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('note', 'varchar(1000)')
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_grading_round_events_round', ['round_id'], 'grading_rounds', ['id'], (c) => c.onDelete('cascade'))
    .execute()
  await db.schema
    .createIndex('ix_grading_round_events_round_created_at')
    .on('grading_round_events')
    .columns(['round_id', 'created_at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('grading_round_events').execute()
}
