import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mediators')
    .addColumn('person_id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('org_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('employment', 'varchar(16)', (c) => c.notNull())
    .addColumn('card_number', 'varchar(32)')
    .addColumn('started_on', 'varchar(10)')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_mediators_person', ['person_id'], 'people', ['id'], (c) => c.onDelete('cascade'))
    .addForeignKeyConstraint('fk_mediators_org', ['org_id'], 'organisations', ['id'])
    .addUniqueConstraint('uq_mediators_card', ['card_number'])
    .execute()
  await db.schema.createIndex('ix_mediators_org').on('mediators').columns(['org_id', 'status']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mediators').execute()
}
