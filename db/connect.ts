/**
 * Opens a Kysely instance on one of the two dialects. Imports nothing from app/ so migrations,
 * seeds, scripts, tests and the app all open the database the same way.
 *
 * - `DATABASE_URL` unset or `file:<path>` → embedded SQLite (better-sqlite3, WAL, foreign keys on).
 * - `mysql://user:pass@host:port/db` → MySQL 8 / MariaDB 10.11 through a mysql2 pool.
 */
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, MysqlAdapter, MysqlDialect, SqliteDialect } from 'kysely'
import type { Dialect } from 'kysely'
import { createPool } from 'mysql2'
import type { Database } from './schema.ts'

export const DEFAULT_SQLITE_PATH = 'data/tiaojie.sqlite'

export type DialectName = 'sqlite' | 'mysql'

export function dialectOf(url: string | undefined): DialectName {
  return url?.startsWith('mysql://') ? 'mysql' : 'sqlite'
}

export function sqlitePathOf(url: string | undefined): string {
  if (!url) return DEFAULT_SQLITE_PATH
  if (url.startsWith('file:')) return url.slice('file:'.length)
  throw new Error(`DATABASE_URL must start with mysql:// or file: (got ${url.split(':')[0]}:…)`)
}

export function openSqlite(file: string): SQLite.Database {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  const database = new SQLite(file)
  database.pragma('journal_mode = WAL')
  database.pragma('foreign_keys = ON')
  database.pragma('busy_timeout = 5000')
  database.pragma('synchronous = NORMAL')
  return database
}

function createDialect(url: string | undefined, poolSize: number): Dialect {
  if (dialectOf(url) === 'mysql') {
    return new MysqlDialect({
      pool: createPool({
        uri: url,
        // Same JavaScript values as SQLite: strings for datetimes and JSON, UTC on the wire.
        dateStrings: true,
        jsonStrings: true,
        timezone: 'Z',
        charset: 'utf8mb4_bin',
        connectionLimit: poolSize,
        // Fail fast while the server is down so pages answer 503 instead of hanging.
        connectTimeout: 5000,
        enableKeepAlive: true,
      }),
    })
  }
  return new SqliteDialect({ database: openSqlite(sqlitePathOf(url)) })
}

export function createDatabase(url: string | undefined, options: { poolSize?: number } = {}): Kysely<Database> {
  return new Kysely<Database>({ dialect: createDialect(url, options.poolSize ?? 10) })
}

/** True when a Kysely instance (or transaction) talks to MySQL/MariaDB. */
export function isMysql(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof MysqlAdapter
}
