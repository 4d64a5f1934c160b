/**
 * Direct access to the e2e server's database, for tests that check what a page wrote, and for
 * the one reset the harness does between tests (below).
 */
import type { Kysely } from 'kysely'
import { inject } from 'vitest'
import { createDatabase } from '#db/connect.ts'
import type { Database } from '#db/schema.ts'

let db: Kysely<Database> | undefined

export function e2eDb(): Kysely<Database> {
  db ??= createDatabase(inject('e2eDatabaseUrl'), { poolSize: 1 })
  return db
}

/**
 * Every test signs in from 127.0.0.1, and every attempt spends a token of that address's sign-in
 * bucket (security checklist 9): a whole run would soon be throttled. Each test starts with no
 * throttling state; a test of throttling itself still sees its own attempts add up.
 */
export async function resetSignInThrottle(): Promise<void> {
  await e2eDb().deleteFrom('sign_in_throttle').execute()
}

export async function closeE2eDb(): Promise<void> {
  await db?.destroy()
  db = undefined
}
