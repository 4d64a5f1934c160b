import { type Kysely, sql } from 'kysely'

/**
 * One roster sync: an uploaded file (name and SHA-256 checksum), the region it may change, the
 * mapping and the diff preview (report: masked numbers only), then who applied it and what
 * changed. The uploaded rows are kept encrypted in `payload` (they hold ID and phone numbers)
 * until the run is applied or discarded. `fingerprint` is the hash of the previewed diff with
 * the versions of every record it read: applying recomputes it and refuses when it differs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('roster_runs')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('source_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('kind', 'varchar(12)', (c) => c.notNull())
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('file_name', 'varchar(200)', (c) => c.notNull())
    .addColumn('checksum', 'varchar(64)', (c) => c.notNull())
    .addColumn('status', 'varchar(12)', (c) => c.notNull())
    .addColumn('mapping', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'varchar(64)')
    .addColumn('total_rows', 'integer', (c) => c.notNull())
    .addColumn('new_count', 'integer', (c) => c.notNull())
    .addColumn('changed_count', 'integer', (c) => c.notNull())
    .addColumn('unchanged_count', 'integer', (c) => c.notNull())
    .addColumn('missing_count', 'integer', (c) => c.notNull())
    .addColumn('error_count', 'integer', (c) => c.notNull())
    .addColumn('deactivate_missing', 'integer', (c) => c.notNull())
    .addColumn('applied_new', 'integer', (c) => c.notNull())
    .addColumn('applied_changed', 'integer', (c) => c.notNull())
    .addColumn('applied_deactivated', 'integer', (c) => c.notNull())
    .addColumn('report', sql`mediumtext`, (c) => c.notNull())
    .addColumn('payload', sql`mediumtext`, (c) => c.notNull())
    .addColumn('created_by', 'varchar(26)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('applied_by', 'varchar(26)', (c) => c)
    .addColumn('applied_at', 'varchar(24)')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addForeignKeyConstraint('fk_roster_runs_source', ['source_id'], 'roster_sources', ['id'])
    .addForeignKeyConstraint('fk_roster_runs_region', ['region_code'], 'regions', ['code'])
    .addForeignKeyConstraint('fk_roster_runs_creator', ['created_by'], 'users', ['id'])
    .addForeignKeyConstraint('fk_roster_runs_applier', ['applied_by'], 'users', ['id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('roster_runs').execute()
}
