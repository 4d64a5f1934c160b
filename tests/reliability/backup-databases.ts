/**
 * Extra databases for the backup and migration tests, beside the one tests/setup/db.ts gives each
 * file: brand new (never migrated) or a copy of the migrated template, on SQLite or on the MariaDB
 * server of a MySQL run, removed by `dispose()`.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type Kysely, sql } from 'kysely'
import { inject } from 'vitest'
import { createDatabase } from '#db/connect.ts'
import { migrateToLatest } from '#db/migrate.ts'
import type { Database } from '#db/schema.ts'
import { MYSQL_TEST_DATABASE_PREFIX, assertSafeDatabaseName, mysqlUrlFor, onMysqlServer, randomTag } from '#tests/setup/test-database.ts'

export interface ExtraDatabase {
  url: string
  db: Kysely<Database>
  dispose(): Promise<void>
}

export async function extraDatabase(dialect: 'sqlite' | 'mysql', options: { migrated: boolean }): Promise<ExtraDatabase> {
  if (dialect === 'sqlite') {
    // A MySQL run has no SQLite template: it migrates its own file (SQLite migrates in a second).
    const template = inject('sqliteTemplate') as string | undefined
    const file = path.join(inject('sqliteRunDir') ?? os.tmpdir(), `tj-extra-${randomTag(10)}.sqlite`)
    if (options.migrated && template) fs.copyFileSync(template, file)
    const url = `file:${file}`
    const db = createDatabase(url, { poolSize: 1 })
    if (options.migrated && !template) await migrateToLatest(db)
    return {
      url,
      db,
      async dispose() {
        await db.destroy()
        for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true })
      },
    }
  }
  const name = `${MYSQL_TEST_DATABASE_PREFIX}${inject('mysqlRunTag')}_x${randomTag(9)}`
  assertSafeDatabaseName(name)
  await onMysqlServer((server) => sql`CREATE DATABASE ${sql.id(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`.execute(server))
  const url = mysqlUrlFor(name)
  const db = createDatabase(url, { poolSize: 1 })
  if (options.migrated) await migrateToLatest(db)
  return {
    url,
    db,
    async dispose() {
      await db.destroy()
      await onMysqlServer((server) => sql`DROP DATABASE IF EXISTS ${sql.id(name)}`.execute(server))
    },
  }
}

/** Every 18-character ID number and 11-digit phone number from `wanted` found in `bytes`. */
export function findPersonalNumbers(bytes: Buffer, wanted: ReadonlySet<string>): string[] {
  const found = new Set<string>()
  const text = bytes.toString('latin1')
  for (const match of text.matchAll(/[0-9Xx]{11,}/g)) {
    const run = match[0].toUpperCase()
    for (const length of [11, 18]) {
      for (let i = 0; i + length <= run.length; i++) {
        const candidate = run.slice(i, i + length)
        if (wanted.has(candidate)) found.add(candidate)
      }
    }
  }
  return [...found]
}
