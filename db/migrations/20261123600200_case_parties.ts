import type { Kysely } from 'kysely'

/** Parties of a difficult case: persons (sealed ID numbers) and organisations. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_parties')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('case_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('org_id', 'varchar(26)')
    .addColumn('id_number_enc', 'varchar(255)')
    .addColumn('id_number_hash', 'varchar(64)')
    .addColumn('id_number_masked', 'varchar(24)')
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addForeignKeyConstraint('fk_case_parties_case', ['case_id'], 'cases', ['id'], (c) => c.onDelete('cascade'))
    .execute()
  await db.schema.createIndex('ix_case_parties_case').on('case_parties').column('case_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('case_parties').execute()
}
