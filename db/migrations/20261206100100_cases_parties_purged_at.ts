import type { Kysely } from 'kysely'

/**
 * When the parties' personal data of a closed case was removed after the retention period
 * (app/modules/retention, docs/decisions/028-party-data-retention.md). Null while it is kept; set by
 * the purge's conditional update, which is also its claim on the case.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cases').addColumn('parties_purged_at', 'varchar(24)').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cases').dropColumn('parties_purged_at').execute()
}
