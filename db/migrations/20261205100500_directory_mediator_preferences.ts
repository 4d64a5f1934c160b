import type { Kysely } from 'kysely'

/**
 * Public directory (issue 12): what a graded mediator chose to hide from the public directory.
 * Name and grade are public by the 公示 and cannot be hidden; the organisation and the validity
 * date can. No row means nothing hidden.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('directory_mediator_preferences')
    .addColumn('person_id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('hide_org', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hide_valid_until', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_directory_mediator_preferences_person', ['person_id'], 'people', ['id'], (c) => c.onDelete('cascade'))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('directory_mediator_preferences').execute()
}
