import type { Kysely } from 'kysely'

/** Public directory (issue 12): the services an organisation offers (服务内容), shown to the public. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organisations').addColumn('services', 'varchar(500)').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organisations').dropColumn('services').execute()
}
