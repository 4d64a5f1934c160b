/**
 * What a backup reads and a restore checks, the same way on both dialects: the tables with their
 * columns and primary keys, the applied migrations, and a dialect-neutral digest of a table's rows.
 *
 * A row is written as the JSON array of its values in the backup's column order; values are
 * strings, finite numbers or null on both dialects (connect.ts asks mysql2 for strings for dates and
 * JSON; the schema has no blobs). A table's digest is the SHA-256 of those lines in primary-key
 * order, which is the same order on SQLite and on MariaDB because text compares as binary on both
 * (docs/decisions/002-portable-storage.md), so a backup's digest can be recomputed on the restored
 * database whichever dialect it is.
 */
import { createHash } from 'node:crypto'
import { type Kysely, sql } from 'kysely'
import { isMysql } from '../connect.ts'

export interface TableInfo {
  name: string
  columns: string[]
  /** Primary key columns in key order; every column when a table has none. */
  orderBy: string[]
}

export interface TableDigest {
  rows: number
  sha256: string
}

/** Kysely's own bookkeeping is not data: the header carries the migration level instead. */
export function isInternalTable(name: string): boolean {
  return name.startsWith('kysely_')
}

async function primaryKey(db: Kysely<any>, table: string): Promise<string[]> {
  if (isMysql(db)) {
    const { rows } = await sql<{ name: string }>`
      select COLUMN_NAME as name from information_schema.KEY_COLUMN_USAGE
      where TABLE_SCHEMA = database() and TABLE_NAME = ${table} and CONSTRAINT_NAME = 'PRIMARY'
      order by ORDINAL_POSITION`.execute(db)
    return rows.map((r) => r.name)
  }
  const { rows } = await sql<{ name: string }>`select name from pragma_table_info(${table}) where pk > 0 order by pk`.execute(db)
  return rows.map((r) => r.name)
}

export async function listTables(db: Kysely<any>): Promise<TableInfo[]> {
  const tables = (await db.introspection.getTables()).filter((t) => !isInternalTable(t.name) && !t.isView)
  const out: TableInfo[] = []
  for (const table of tables.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const columns = table.columns.map((c) => c.name)
    const key = await primaryKey(db, table.name)
    out.push({ name: table.name, columns, orderBy: key.length ? key : columns })
  }
  return out
}

/** Applied migrations, oldest first; empty when the database was never migrated. */
export async function appliedMigrations(db: Kysely<any>): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true })
  if (!tables.some((t) => t.name === 'kysely_migration')) return []
  const rows = await db.selectFrom('kysely_migration').select('name').orderBy('name').execute()
  return rows.map((r) => String(r.name))
}

export async function countRows(db: Kysely<any>, table: string): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** One row as its canonical line (without the newline). */
export function encodeRow(table: string, columns: readonly string[], row: Record<string, unknown>): string {
  const values = columns.map((column) => {
    const value = row[column]
    if (value === null || value === undefined || typeof value === 'string') return value ?? null
    if (typeof value === 'number' && Number.isFinite(value)) return value
    if (typeof value === 'bigint') return Number(value)
    throw new Error(`${table}.${column} holds a value of type ${typeof value}, which backups do not support`)
  })
  return JSON.stringify(values)
}

/** The rows of a table in digest order, as a stream (never the whole table in memory). */
export async function* streamRows(db: Kysely<any>, table: TableInfo): AsyncGenerator<Record<string, unknown>> {
  let query = db.selectFrom(table.name).select(table.columns)
  for (const column of table.orderBy) query = query.orderBy(column)
  yield* query.stream(1000)
}

/** Count and SHA-256 of a table's canonical lines, read in digest order. */
export async function tableDigest(db: Kysely<any>, table: TableInfo): Promise<TableDigest> {
  const hash = createHash('sha256')
  let rows = 0
  for await (const row of streamRows(db, table)) {
    hash.update(`${encodeRow(table.name, table.columns, row)}\n`)
    rows += 1
  }
  return { rows, sha256: hash.digest('hex') }
}

/** Digests of every table, keyed by name: what the restore drill compares. */
export async function databaseDigests(db: Kysely<any>): Promise<Record<string, TableDigest>> {
  const out: Record<string, TableDigest> = {}
  for (const table of await listTables(db)) out[table.name] = await tableDigest(db, table)
  return out
}
