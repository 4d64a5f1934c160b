import type { Kysely } from 'kysely'

/** Certificates for completed courses, verifiable in public by their number. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('training_certificates')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('number', 'varchar(32)', (c) => c.notNull())
    .addColumn('person_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('record_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('hours_tenths', 'integer', (c) => c.notNull())
    .addColumn('issued_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('revoked_at', 'varchar(24)')
    .addColumn('revoked_reason', 'varchar(500)')
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_training_certificates_person', ['person_id'], 'people', ['id'], (c) => c.onDelete('cascade'))
    .addForeignKeyConstraint('fk_training_certificates_record', ['record_id'], 'training_records', ['id'], (c) => c.onDelete('cascade'))
    .addUniqueConstraint('uq_training_certificates_number', ['number'])
    .addUniqueConstraint('uq_training_certificates_record', ['record_id'])
    .execute()
  await db.schema.createIndex('ix_training_certificates_person').on('training_certificates').columns(['person_id', 'issued_on']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('training_certificates').execute()
}
