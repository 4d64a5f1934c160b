import type { Kysely } from 'kysely'

/**
 * When the session's user last proved who they are (the sign-in itself, or re-authentication
 * before changing the password or second factor). Null for sessions older than this column.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('reauthenticated_at', 'varchar(24)').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('reauthenticated_at').execute()
}
