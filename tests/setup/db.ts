/**
 * Runs before every `*.db.test.ts` file, before the file's own imports: gives the file a fresh,
 * migrated database of its own and points DATABASE_URL at it, so app modules (getDb()) open it.
 * After the file, the app's connection is closed and the database removed.
 */
import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, inject } from 'vitest'
import { createDatabase } from '#db/connect.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { MYSQL_TEST_DATABASE_PREFIX, assertSafeDatabaseName, mysqlUrlFor, onMysqlServer, randomTag, testDialect } from './test-database.ts'

async function closeAppDatabase(): Promise<void> {
  const { closeDb } = await import('#app/lib/db.server.ts')
  await closeDb()
}

async function freshSqlite(): Promise<void> {
  const file = path.join(inject('sqliteRunDir'), `${randomTag(10)}.sqlite`)
  fs.copyFileSync(inject('sqliteTemplate'), file)
  process.env.DATABASE_URL = `file:${file}`
  afterAll(async () => {
    await closeAppDatabase()
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true })
  })
}

async function freshMysql(): Promise<void> {
  const name = `${MYSQL_TEST_DATABASE_PREFIX}${inject('mysqlRunTag')}_${randomTag(10)}`
  assertSafeDatabaseName(name)
  await onMysqlServer((server) => sql`CREATE DATABASE ${sql.id(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`.execute(server))
  const url = mysqlUrlFor(name)
  const db = createDatabase(url, { poolSize: 1 })
  try {
    await migrateToLatest(db)
  } finally {
    await db.destroy()
  }
  process.env.DATABASE_URL = url
  afterAll(async () => {
    await closeAppDatabase()
    await onMysqlServer((server) => sql`DROP DATABASE IF EXISTS ${sql.id(name)}`.execute(server))
  })
}

if (testDialect() === 'mysql') await freshMysql()
else await freshSqlite()
