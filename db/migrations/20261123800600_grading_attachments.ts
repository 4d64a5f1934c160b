import type { Kysely } from 'kysely'

/** Extra evidence files for grade applications (outside public/, access-checked). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('grading_attachments')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('application_id', 'varchar(26)')
    .addColumn('person_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('file_name', 'varchar(200)', (c) => c.notNull())
    .addColumn('mime', 'varchar(64)', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('storage_key', 'varchar(200)', (c) => c.notNull())
    .addColumn('uploaded_by', 'varchar(26)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_grading_attachments_application', ['application_id'], 'grading_applications', ['id'], (c) =>
      c.onDelete('cascade'),
    )
    .addForeignKeyConstraint('fk_grading_attachments_person', ['person_id'], 'people', ['id'], (c) => c.onDelete('cascade'))
    .execute()
  await db.schema.createIndex('ix_grading_attachments_application').on('grading_attachments').columns(['application_id']).execute()
  await db.schema
    .createIndex('ix_grading_attachments_person_created_at')
    .on('grading_attachments')
    .columns(['person_id', 'created_at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('grading_attachments').execute()
}
