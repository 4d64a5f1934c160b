/**
 * Global set-up of the `db` project, once per vitest run. On SQLite it migrates one template file
 * that every database test file copies; on MySQL it checks the server answers (failing the run
 * with one clear message instead of one per file) and drops databases a crashed file left behind.
 */
import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import type { TestProject } from 'vitest/node'
import { createDatabase } from '#db/connect.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { makeRunDir } from './run-dirs.ts'
import { MYSQL_TEST_DATABASE_PREFIX, assertSafeDatabaseName, onMysqlServer, randomTag, testDialect } from './test-database.ts'

async function setUpSqlite(project: TestProject): Promise<() => void> {
  const runDir = makeRunDir('db')
  const template = path.join(runDir, 'template.sqlite')
  const db = createDatabase(`file:${template}`)
  try {
    await migrateToLatest(db)
    // A single self-contained file (no -wal beside it), so a plain copy is a complete database.
    await sql`PRAGMA journal_mode = DELETE`.execute(db)
  } finally {
    await db.destroy()
  }
  project.provide('sqliteTemplate', template)
  project.provide('sqliteRunDir', runDir)
  return () => fs.rmSync(runDir, { recursive: true, force: true })
}

function dropDatabasesOfRun(tag: string): Promise<void> {
  return onMysqlServer(async (server) => {
    const pattern = `${MYSQL_TEST_DATABASE_PREFIX}${tag}_`.replaceAll('_', '\\_') + '%'
    const { rows } = await sql<{ name: string }>`
      SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name LIKE ${pattern}`.execute(server)
    for (const { name } of rows) {
      assertSafeDatabaseName(name)
      await sql`DROP DATABASE IF EXISTS ${sql.id(name)}`.execute(server)
    }
  })
}

/** Databases of runs that crashed before their teardown, judged by their tables' age. */
function dropStaleDatabases(): Promise<void> {
  return onMysqlServer(async (server) => {
    const pattern = `${MYSQL_TEST_DATABASE_PREFIX.replaceAll('_', '\\_')}%`
    const { rows } = await sql<{ name: string }>`
      SELECT table_schema AS name FROM information_schema.tables
      WHERE table_schema LIKE ${pattern}
      GROUP BY table_schema
      HAVING MAX(create_time) < NOW() - INTERVAL 1 HOUR`.execute(server)
    for (const { name } of rows) {
      assertSafeDatabaseName(name)
      await sql`DROP DATABASE IF EXISTS ${sql.id(name)}`.execute(server)
    }
  })
}

async function setUpMysql(project: TestProject): Promise<() => Promise<void>> {
  try {
    await onMysqlServer((server) => sql`SELECT 1`.execute(server))
  } catch (error) {
    throw new Error(`Cannot reach the MySQL server of TEST_MYSQL_URL: ${String(error)}`)
  }
  await dropStaleDatabases()
  const tag = randomTag(6)
  project.provide('mysqlRunTag', tag)
  return () => dropDatabasesOfRun(tag)
}

export default async function setup(project: TestProject): Promise<() => void | Promise<void>> {
  return testDialect() === 'mysql' ? setUpMysql(project) : setUpSqlite(project)
}
