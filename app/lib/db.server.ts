import type { Kysely, Transaction } from 'kysely'
import { createDatabase } from '#db/connect.ts'
import type { Database } from '#db/schema.ts'
import { getEnv } from './env.server.ts'

export type DB = Kysely<Database>
/** Data-access functions take either, so callers can compose them in one transaction. */
export type Executor = Kysely<Database> | Transaction<Database>

let instance: DB | undefined

export function getDb(): DB {
  instance ??= createDatabase(getEnv().DATABASE_URL)
  return instance
}

export async function closeDb(): Promise<void> {
  await instance?.destroy()
  instance = undefined
}
