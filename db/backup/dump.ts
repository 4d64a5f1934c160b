/**
 * Writing a backup (`npm run backup`, db/backup.ts): every table read inside one consistent
 * snapshot (a read transaction on SQLite's WAL, `START TRANSACTION WITH CONSISTENT SNAPSHOT` on
 * MariaDB), streamed row by row through gzip and AES-256-GCM into a `.partial` file that is renamed
 * only once complete. Memory stays bounded by one batch of lines and one frame.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import { type Kysely, sql } from 'kysely'
import { isMysql } from '../connect.ts'
import { FrameEncryptor, newHeader } from './format.ts'
import { type TableDigest, type TableInfo, appliedMigrations, countRows, encodeRow, listTables, streamRows } from './tables.ts'

export interface BackupKey {
  version: number
  key: Buffer
}

export interface BackupSummary {
  file: string
  bytes: number
  /** SHA-256 of the whole file, as `sha256sum` prints it (also written to `<file>.sha256`). */
  fileSha256: string
  keyVersion: number
  migrations: string[]
  tables: Record<string, TableDigest>
  rows: number
  seconds: number
}

const BATCH_BYTES = 256 * 1024

/** Runs `work` inside one read snapshot on one connection. */
async function inSnapshot<T>(db: Kysely<any>, work: (conn: Kysely<any>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    if (isMysql(conn)) {
      await sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`.execute(conn)
      await sql`START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY`.execute(conn)
    } else {
      await sql`BEGIN`.execute(conn)
    }
    try {
      return await work(conn)
    } finally {
      await sql`ROLLBACK`.execute(conn)
    }
  })
}

async function* content(conn: Kysely<any>, tables: TableInfo[], digests: Record<string, TableDigest>): AsyncGenerator<Buffer> {
  let batch: string[] = []
  let batchBytes = 0
  const line = (text: string) => {
    batch.push(text, '\n')
    batchBytes += text.length + 1
  }
  const flush = () => {
    const out = Buffer.from(batch.join(''))
    batch = []
    batchBytes = 0
    return out
  }
  line(JSON.stringify({ kind: 'schema', tables }))
  let total = 0
  for (const table of tables) {
    line(JSON.stringify({ kind: 'table', name: table.name }))
    const hash = createHash('sha256')
    let rows = 0
    for await (const row of streamRows(conn, table)) {
      const encoded = encodeRow(table.name, table.columns, row)
      hash.update(`${encoded}\n`)
      line(encoded)
      rows += 1
      if (batchBytes >= BATCH_BYTES) yield flush()
    }
    // A stream cut short would otherwise go unnoticed: the snapshot's own count must agree.
    const counted = await countRows(conn, table.name)
    if (counted !== rows) throw new Error(`${table.name}: read ${rows} rows but the snapshot holds ${counted}`)
    const digest = { rows, sha256: hash.digest('hex') }
    digests[table.name] = digest
    total += rows
    line(JSON.stringify({ kind: 'tableEnd', name: table.name, ...digest }))
  }
  line(JSON.stringify({ kind: 'end', tables: tables.length, rows: total }))
  yield flush()
}

export function defaultBackupName(dialect: string, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  return `tiaojie-${dialect}-${stamp}.tjbak`
}

export async function createBackup(db: Kysely<any>, options: { file: string; key: BackupKey }): Promise<BackupSummary> {
  const started = performance.now()
  const file = path.resolve(options.file)
  if (fs.existsSync(file)) throw new Error(`${file} already exists; refusing to overwrite a backup`)
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
  const partial = `${file}.partial`
  const wholeFile = createHash('sha256')
  const tap = new PassThrough()
  let bytes = 0
  tap.on('data', (chunk: Buffer) => {
    wholeFile.update(chunk)
    bytes += chunk.length
  })
  const digests: Record<string, TableDigest> = {}
  let migrations: string[] = []
  let keyVersion = 0
  try {
    await inSnapshot(db, async (conn) => {
      migrations = await appliedMigrations(conn)
      if (!migrations.length) throw new Error('the database has never been migrated; there is nothing to back up')
      const tables = await listTables(conn)
      const { header, key } = newHeader({
        sourceDialect: isMysql(conn) ? 'mysql' : 'sqlite',
        keyVersion: options.key.version,
        dataKey: options.key.key,
        migrations,
      })
      keyVersion = header.keyVersion
      await pipeline(
        Readable.from(content(conn, tables, digests)),
        createGzip({ level: 6 }),
        new FrameEncryptor(header, key),
        tap,
        fs.createWriteStream(partial, { mode: 0o600 }),
      )
    })
    const fileSha256 = wholeFile.digest('hex')
    fs.renameSync(partial, file)
    fs.writeFileSync(`${file}.sha256`, `${fileSha256}  ${path.basename(file)}\n`, { mode: 0o600 })
    return {
      file,
      bytes,
      fileSha256,
      keyVersion,
      migrations,
      tables: digests,
      rows: Object.values(digests).reduce((sum, d) => sum + d.rows, 0),
      seconds: (performance.now() - started) / 1000,
    }
  } catch (error) {
    fs.rmSync(partial, { force: true })
    throw error
  }
}
