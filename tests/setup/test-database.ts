/**
 * Which database the database tests run on, and the names they use. Shared by the global set-up
 * (once per run) and the per-file set-up.
 *
 * - SQLite (default): one migrated template file per run, copied for every test file.
 * - MariaDB/MySQL: `TEST_DIALECT=mysql` with `TEST_MYSQL_URL=mysql://user:pass@host:port/any`; every
 *   test file gets its own database `tj_t_<run>_<file>`, created, migrated and dropped.
 */
import crypto from 'node:crypto'
import path from 'node:path'
import type { Kysely } from 'kysely'
import { createDatabase } from '#db/connect.ts'
import type { Database } from '#db/schema.ts'

export type TestDialect = 'sqlite' | 'mysql'

export function testDialect(): TestDialect {
  const wanted = process.env.TEST_DIALECT ?? 'sqlite'
  if (wanted !== 'sqlite' && wanted !== 'mysql') throw new Error(`TEST_DIALECT must be sqlite or mysql (got ${wanted})`)
  return wanted
}

/** The server URL for MySQL runs; the path part (database) is ignored. */
export function mysqlServerUrl(): string {
  const url = process.env.TEST_MYSQL_URL
  if (!url?.startsWith('mysql://')) {
    throw new Error('TEST_DIALECT=mysql needs TEST_MYSQL_URL, e.g. mysql://root@127.0.0.1:3306/test')
  }
  return url
}

/** The same server with another database in the path. */
export function mysqlUrlFor(database: string | null): string {
  const url = new URL(mysqlServerUrl())
  url.pathname = database ? `/${database}` : ''
  return url.toString()
}

/** Runs `work` on a short-lived connection to the MySQL server itself (no database selected). */
export async function onMysqlServer<T>(work: (server: Kysely<Database>) => Promise<T>): Promise<T> {
  const server = createDatabase(mysqlUrlFor(null), { poolSize: 1 })
  try {
    return await work(server)
  } finally {
    await server.destroy()
  }
}

/** Lower-case letters and digits only, so it is safe inside an identifier without quoting rules. */
export function randomTag(length = 8): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
  return Array.from(crypto.randomBytes(length), (b) => alphabet[b % alphabet.length]).join('')
}

export const MYSQL_TEST_DATABASE_PREFIX = 'tj_t_'

/** Database names are interpolated into DDL, so they are checked, never trusted. */
export function assertSafeDatabaseName(name: string): void {
  if (!/^tj_t_[a-z0-9_]{1,58}$/.test(name)) throw new Error(`Refusing unexpected database name ${name}`)
}

/** True for the databases tests/setup/db.ts makes, so no test helper ever touches real data. */
export function isTestDatabaseUrl(url: string | undefined): boolean {
  if (!url) return false
  if (url.startsWith('mysql://')) return new URL(url).pathname.startsWith(`/${MYSQL_TEST_DATABASE_PREFIX}`)
  return url.startsWith('file:') && url.includes(`${path.sep}tests${path.sep}.tmp${path.sep}`)
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the migrated SQLite template (SQLite runs). */
    sqliteTemplate: string
    /** Directory for this run's per-file SQLite copies. */
    sqliteRunDir: string
    /** Tag shared by this run's MySQL databases, so the global teardown can drop leftovers. */
    mysqlRunTag: string
  }
}
