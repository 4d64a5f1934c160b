import type { Kysely } from 'kysely'

/**
 * Public directory (issue 12): the dispute types an organisation takes (受理纠纷类型), so the public
 * can filter organisations by the kind of dispute they have.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('organisation_dispute_types')
    .addColumn('org_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('dispute_type_code', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('pk_organisation_dispute_types', ['org_id', 'dispute_type_code'])
    .addForeignKeyConstraint('fk_organisation_dispute_types_org', ['org_id'], 'organisations', ['id'], (c) => c.onDelete('cascade'))
    .addForeignKeyConstraint('fk_organisation_dispute_types_type', ['dispute_type_code'], 'dispute_types', ['code'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('organisation_dispute_types').execute()
}
