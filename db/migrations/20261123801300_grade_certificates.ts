import type { Kysely } from 'kysely'

/** Grade certificates, verifiable in public by number. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('grade_certificates')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('number', 'varchar(32)', (c) => c.notNull())
    .addColumn('person_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('mediator_grade_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('grade_name', 'varchar(40)', (c) => c.notNull())
    .addColumn('association_name', 'varchar(200)', (c) => c.notNull())
    .addColumn('issued_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('valid_until', 'varchar(10)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('revoked_at', 'varchar(24)')
    .addColumn('revoked_reason', 'varchar(500)')
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_grade_certificates_person', ['person_id'], 'people', ['id'], (c) => c.onDelete('cascade'))
    .addForeignKeyConstraint('fk_grade_certificates_mediator_grade', ['mediator_grade_id'], 'mediator_grades', ['id'], (c) =>
      c.onDelete('cascade'),
    )
    .addUniqueConstraint('uq_grade_certificates_number', ['number'])
    .addUniqueConstraint('uq_grade_certificates_mediator_grade', ['mediator_grade_id'])
    .execute()
  await db.schema
    .createIndex('ix_grade_certificates_person_issued_on')
    .on('grade_certificates')
    .columns(['person_id', 'issued_on'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('grade_certificates').execute()
}
