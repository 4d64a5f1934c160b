import type { Kysely } from 'kysely'

/** Objections filed during a round's public notice. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('grading_objections')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('round_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('application_id', 'varchar(26)')
    .addColumn('filer_name', 'varchar(60)', (c) => c.notNull())
    .addColumn('filer_contact_enc', 'varchar(255)', (c) => c.notNull())
    .addColumn('filer_contact_masked', 'varchar(64)', (c) => c.notNull())
    .addColumn('grounds', 'text', (c) => c.notNull())
    .addColumn('attachment_key', 'varchar(200)')
    .addColumn('attachment_name', 'varchar(200)')
    .addColumn('attachment_mime', 'varchar(64)')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('investigation', 'text')
    .addColumn('response', 'text')
    .addColumn('decided_by', 'varchar(26)')
    .addColumn('decided_at', 'varchar(24)')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_grading_objections_round', ['round_id'], 'grading_rounds', ['id'], (c) => c.onDelete('cascade'))
    .addForeignKeyConstraint('fk_grading_objections_application', ['application_id'], 'grading_applications', ['id'], (c) =>
      c.onDelete('cascade'),
    )
    .execute()
  await db.schema.createIndex('ix_grading_objections_round_status').on('grading_objections').columns(['round_id', 'status']).execute()
  await db.schema.createIndex('ix_grading_objections_application').on('grading_objections').columns(['application_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('grading_objections').execute()
}
