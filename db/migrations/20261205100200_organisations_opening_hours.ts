import type { Kysely } from 'kysely'

/** Public directory (issue 12): an organisation's opening hours (办公时间), shown to the public. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organisations').addColumn('opening_hours', 'varchar(200)').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organisations').dropColumn('opening_hours').execute()
}
