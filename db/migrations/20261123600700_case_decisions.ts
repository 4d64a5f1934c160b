import type { Kysely } from 'kysely'

/**
 * Staff decisions on a case that carry a written reason: an administrator-pinned conflict of
 * interest for one expert (`conflict_pin`, subject = the expert's id) and the one extension of a
 * court-entrusted case's time limit (`time_extension`, subject = 'time_limit', with its days).
 * Unique per case, kind and subject: a repeat is a no-op, and a time limit is extended once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_decisions')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('case_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('subject', 'varchar(26)', (c) => c.notNull())
    .addColumn('days', 'integer')
    .addColumn('reason', 'varchar(1000)', (c) => c.notNull())
    .addColumn('created_by', 'varchar(26)')
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_case_decisions_case', ['case_id'], 'cases', ['id'], (c) => c.onDelete('cascade'))
    .addUniqueConstraint('uq_case_decisions_subject', ['case_id', 'kind', 'subject'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('case_decisions').execute()
}
