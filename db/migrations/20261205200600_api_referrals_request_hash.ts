import type { Kysely } from 'kysely'

/**
 * SHA-256 of the referral's canonical request body, so a retried POST with the same Idempotency-Key
 * but a different body is refused instead of silently answered with the first case.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_referrals').addColumn('request_hash', 'varchar(64)').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_referrals').dropColumn('request_hash').execute()
}
