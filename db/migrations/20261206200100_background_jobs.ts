import type { Kysely } from 'kysely'

/**
 * Background jobs (issue 9 item 5; docs/decisions/029-background-exports.md): long exports run by
 * a worker in the app process, with progress, cancel and a result file under TIAOJIE_UPLOAD_DIR.
 * `params` is the job's filter as JSON (never personal numbers); `open_key` is set while the job
 * is queued or running and unique, so a double submit of the same export finds the open job.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('background_jobs')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('kind', 'varchar(40)', (c) => c.notNull())
    .addColumn('owner_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('open_key', 'varchar(64)')
    .addColumn('status', 'varchar(12)', (c) => c.notNull())
    .addColumn('progress_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('progress_total', 'integer')
    .addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed_by', 'varchar(80)')
    .addColumn('claim_expires_at', 'varchar(24)')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('result_key', 'varchar(64)')
    .addColumn('result_name', 'varchar(200)')
    .addColumn('result_size', 'integer')
    .addColumn('result_detail', 'text')
    .addColumn('error_code', 'varchar(40)')
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('started_at', 'varchar(24)')
    .addColumn('finished_at', 'varchar(24)')
    .addColumn('expires_at', 'varchar(24)')
    .addColumn('updated_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addForeignKeyConstraint('fk_background_jobs_owner', ['owner_id'], 'users', ['id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('background_jobs').execute()
}
