import type { Kysely } from 'kysely'

/** Versioned matching configuration (weights and tables); the highest version is in force. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('match_configs')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('subsidy_fen_per_hour', 'integer', (c) => c.notNull())
    .addColumn('note', 'varchar(500)')
    .addColumn('created_by', 'varchar(26)')
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('match_configs').execute()
}
