import type { Kysely } from 'kysely'

/** Mediators' case statistics per year (entered by the org manager, confirmed by the mediator). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mediator_case_stats')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('person_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('disputes_mediated', 'integer', (c) => c.notNull())
    .addColumn('successful', 'integer', (c) => c.notNull())
    .addColumn('oral_agreements', 'integer', (c) => c.notNull())
    .addColumn('entered_by', 'varchar(26)', (c) => c.notNull())
    .addColumn('entered_at', 'varchar(24)', (c) => c.notNull())
    .addColumn('confirmed_at', 'varchar(24)')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addForeignKeyConstraint('fk_mediator_case_stats_person', ['person_id'], 'people', ['id'], (c) => c.onDelete('cascade'))
    .addUniqueConstraint('uq_mediator_case_stats_person_year', ['person_id', 'year'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mediator_case_stats').execute()
}
