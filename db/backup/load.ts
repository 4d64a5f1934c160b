/**
 * Restoring a backup (`npm run restore`, db/restore.ts), on either dialect whatever the source was:
 *
 * 1. the whole-file SHA-256 (and `<file>.sha256` when present) and the key are checked before the
 *    database is touched;
 * 2. the target must be empty (no rows in any table) unless `replace`, which drops every table;
 * 3. the target is migrated to exactly the backup's level (a fresh database is migrated up; an
 *    empty one at another level up or down), and its tables and columns must equal the backup's;
 * 4. every row is inserted in ONE transaction, with foreign keys deferred (SQLite) or unchecked
 *    (MariaDB, as its own dumps do), then every table's count and SHA-256 is recomputed from the
 *    database inside that transaction and compared with the backup; any difference, any damaged
 *    frame, rolls everything back;
 * 5. then, unless told not to, newer migrations of this release are applied to the restored data.
 *
 * Inserts never meet the audit log's append-only triggers, which refuse UPDATE and DELETE only.
 */
import fs from 'node:fs'
import { type Kysely, Migrator, sql } from 'kysely'
import { isMysql } from '../connect.ts'
import { migrateToLatest, resetDatabase } from '../migrate.ts'
import { migrations } from '../migrations/index.ts'
import { BackupError, type BackupHeader, keyFor } from './format.ts'
import { readBackup, readBackupHeader, verifyFileChecksum } from './read.ts'
import { type TableDigest, type TableInfo, appliedMigrations, countRows, listTables, tableDigest } from './tables.ts'

export interface RestoreOptions {
  file: string
  keysByVersion: ReadonlyMap<number, Buffer>
  /** Drop every table of a non-empty target first. */
  replace?: boolean
  /** Apply this release's newer migrations after the data is in (default true). */
  migrateAfter?: boolean
  log?: (line: string) => void
}

export interface RestoreSummary {
  header: BackupHeader
  fileSha256: string
  bytes: number
  /** What was done to the target's schema before loading. */
  prepared: 'as-is' | 'migrated' | 'replaced'
  tables: Record<string, TableDigest>
  rows: number
  /** Migrations applied after the data was restored. */
  migratedAfter: string[]
  seconds: number
}

const MAX_PARAMETERS = 30_000
const MAX_BATCH_BYTES = 2 * 1024 * 1024

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index])
}

async function nonEmptyTables(db: Kysely<any>): Promise<string[]> {
  const out: string[] = []
  for (const table of await listTables(db)) if ((await countRows(db, table.name)) > 0) out.push(table.name)
  return out
}

async function checkCollation(db: Kysely<any>): Promise<void> {
  if (!isMysql(db)) return
  const { rows } = await sql<{ collation: string }>`
    select DEFAULT_COLLATION_NAME as collation from information_schema.SCHEMATA where SCHEMA_NAME = database()`.execute(db)
  const collation = rows[0]?.collation ?? ''
  if (!collation.endsWith('_bin')) {
    throw new BackupError(
      `the target database uses collation ${collation || '(none)'}; create it with utf8mb4_bin (README, "Running on MySQL / MariaDB")`,
    )
  }
}

/** Brings an empty (or replaced) target to exactly the backup's migration level. */
async function prepareTarget(
  db: Kysely<any>,
  header: BackupHeader,
  replace: boolean,
  log: (line: string) => void,
): Promise<RestoreSummary['prepared']> {
  const unknown = header.migrations.filter((name) => !Object.hasOwn(migrations, name))
  if (unknown.length) {
    throw new BackupError(`the backup was made by a newer release (unknown migration ${unknown[0]}); restore it with that release`)
  }
  let prepared: RestoreSummary['prepared'] = 'as-is'
  const filled = await nonEmptyTables(db)
  if (filled.length) {
    if (!replace) {
      throw new BackupError(
        `the target database is not empty (${filled.length} table(s) hold rows, e.g. ${filled.slice(0, 3).join(', ')}); restore into an empty database, or pass --replace to drop every table first`,
      )
    }
    log(`dropping every table of the target (--replace): ${filled.length} table(s) held rows`)
    await resetDatabase(db)
    prepared = 'replaced'
  }
  const level = header.migrations.at(-1)!
  if (!sameList(await appliedMigrations(db), header.migrations)) {
    const result = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateTo(level)
    if (result.error) throw new Error(`could not migrate the target to ${level}: ${String(result.error)}`)
    log(`migrated the target to the backup's level ${level} (${result.results?.length ?? 0} step(s))`)
    if (prepared === 'as-is') prepared = 'migrated'
  }
  if (!sameList(await appliedMigrations(db), header.migrations)) {
    throw new BackupError(`the target's applied migrations differ from the backup's even at level ${level}`)
  }
  return prepared
}

function checkSchema(backupTables: TableInfo[], targetTables: TableInfo[]): void {
  const target = new Map(targetTables.map((t) => [t.name, t]))
  const names = (tables: TableInfo[]) => tables.map((t) => t.name).join(',')
  if (names(backupTables) !== names(targetTables)) {
    throw new BackupError(`the target's tables differ from the backup's at the same migration level`)
  }
  for (const table of backupTables) {
    const columns = [...target.get(table.name)!.columns].sort().join(',')
    if ([...table.columns].sort().join(',') !== columns)
      throw new BackupError(`the target's columns of ${table.name} differ from the backup's`)
  }
}

class Batch {
  rows: Record<string, unknown>[] = []
  bytes = 0

  constructor(readonly table: TableInfo) {}

  add(values: (string | number | null)[]): void {
    const row: Record<string, unknown> = {}
    this.table.columns.forEach((column, index) => {
      const value = values[index] ?? null
      row[column] = value
      this.bytes += typeof value === 'string' ? value.length * 3 : 8
    })
    this.rows.push(row)
  }

  full(): boolean {
    return this.rows.length * this.table.columns.length >= MAX_PARAMETERS || this.bytes >= MAX_BATCH_BYTES
  }

  async flush(conn: Kysely<any>): Promise<void> {
    if (!this.rows.length) return
    await conn.insertInto(this.table.name).values(this.rows).execute()
    this.rows = []
    this.bytes = 0
  }
}

/** Loads and verifies every row in one transaction; nothing stays behind if anything fails. */
async function load(db: Kysely<any>, options: RestoreOptions, log: (line: string) => void): Promise<Record<string, TableDigest>> {
  const records = readBackup(options.file, options.keysByVersion)
  return db.connection().execute(async (conn) => {
    const mysql = isMysql(conn)
    const first = await records.next()
    if (first.done || first.value.kind !== 'schema') throw new BackupError('the backup does not start with its schema')
    const backupTables = first.value.tables
    checkSchema(backupTables, await listTables(conn))
    if (mysql) await sql`SET FOREIGN_KEY_CHECKS = 0`.execute(conn)
    await sql.raw(mysql ? 'START TRANSACTION' : 'BEGIN').execute(conn)
    try {
      if (!mysql) await sql`PRAGMA defer_foreign_keys = ON`.execute(conn)
      const expected: Record<string, TableDigest> = {}
      let batch: Batch | undefined
      for await (const record of records) {
        if (record.kind === 'table') batch = new Batch(record.table)
        else if (record.kind === 'row') {
          batch!.add(record.values)
          if (batch!.full()) await batch!.flush(conn)
        } else if (record.kind === 'tableEnd') {
          await batch!.flush(conn)
          expected[record.table.name] = { rows: record.rows, sha256: record.sha256 }
          log(`  ${record.table.name.padEnd(32)} ${record.rows.toLocaleString('en').padStart(10)} rows`)
        }
      }
      for (const table of backupTables) {
        const actual = await tableDigest(conn, table)
        const wanted = expected[table.name]!
        if (actual.rows !== wanted.rows || actual.sha256 !== wanted.sha256) {
          throw new BackupError(
            `verification failed for ${table.name}: ${actual.rows} rows restored, ${wanted.rows} in the backup, checksums differ`,
          )
        }
      }
      await sql`COMMIT`.execute(conn)
      return expected
    } catch (error) {
      await sql`ROLLBACK`.execute(conn)
      throw error
    } finally {
      if (mysql) await sql`SET FOREIGN_KEY_CHECKS = 1`.execute(conn)
      await records.return(undefined)
    }
  })
}

export async function restoreBackup(db: Kysely<any>, options: RestoreOptions): Promise<RestoreSummary> {
  const started = performance.now()
  const log = options.log ?? (() => {})
  const { fileSha256, bytes } = await verifyFileChecksum(options.file)
  const sidecar = `${options.file}.sha256`
  if (fs.existsSync(sidecar)) {
    const recorded = fs.readFileSync(sidecar, 'utf8').trim().split(/\s+/)[0]
    if (recorded !== fileSha256) throw new BackupError(`the backup's SHA-256 differs from ${sidecar}`)
  }
  const header = await readBackupHeader(options.file)
  keyFor(header, options.keysByVersion)
  log(`backup of ${header.createdAt} from ${header.sourceDialect}, key version ${header.keyVersion}, level ${header.migrations.at(-1)}`)
  await checkCollation(db)
  const prepared = await prepareTarget(db, header, options.replace ?? false, log)
  const tables = await load(db, options, log)
  const migratedAfter = options.migrateAfter === false ? [] : await migrateToLatest(db)
  return {
    header,
    fileSha256,
    bytes,
    prepared,
    tables,
    rows: Object.values(tables).reduce((sum, d) => sum + d.rows, 0),
    migratedAfter,
    seconds: (performance.now() - started) / 1000,
  }
}
