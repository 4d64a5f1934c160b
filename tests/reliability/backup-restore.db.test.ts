/**
 * The restore drill (security checklist 34) and the backup's protection of personal data (27):
 * the generator's tiny data set is backed up, restored into a brand-new database and compared
 * table by table (row count and SHA-256); on a MariaDB run the backup also crosses dialects both
 * ways. Damaged, altered, truncated and wrong-key files are refused without leaving rows behind;
 * a non-empty target is refused; an older backup is migrated forward after it is restored; and
 * neither the backup nor a plain dump holds a plaintext ID or phone number.
 */
import { spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip, createGzip } from 'node:zlib'
import { type Kysely, Migrator } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decrypt } from '#app/lib/crypto.server.ts'
import { newId } from '#app/lib/ids.ts'
import { type BackupSummary, createBackup } from '#db/backup/dump.ts'
import { BackupError, FrameEncryptor, decryptFrames, keyFor, readHeader } from '#db/backup/format.ts'
import { restoreBackup } from '#db/backup/load.ts'
import { readBackup, verifyBackup } from '#db/backup/read.ts'
import { type TableDigest, appliedMigrations, databaseDigests, listTables } from '#db/backup/tables.ts'
import { isMysql } from '#db/connect.ts'
import { migrations } from '#db/migrations/index.ts'
import type { Database } from '#db/schema.ts'
import { generateScaleData } from '#db/seed/scale.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { TEST_DATA_KEY } from '#tests/fixtures/test-env.ts'
import { type ExtraDatabase, extraDatabase, findPersonalNumbers } from './backup-databases.ts'

const KEY = { version: 1, key: Buffer.from(TEST_DATA_KEY, 'base64') }
const KEYS = new Map([[1, KEY.key]])
const dialect = testDialect()
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tj-backup-test-'))
const extras: ExtraDatabase[] = []

let backup: BackupSummary
let sourceDigests: Record<string, TableDigest>

async function extra(which: 'sqlite' | 'mysql', migrated = false): Promise<ExtraDatabase> {
  const database = await extraDatabase(which, { migrated })
  extras.push(database)
  return database
}

async function rowsIn(db: Kysely<any>): Promise<number> {
  let total = 0
  for (const digest of Object.values(await databaseDigests(db))) total += digest.rows
  return total
}

function copyOf(file: string, name: string, change: (bytes: Buffer) => Buffer): string {
  const out = path.join(dir, name)
  fs.writeFileSync(out, change(fs.readFileSync(file)))
  return out
}

/** What an attacker who can write the file but has no key can do: change bytes, fix the trailer. */
function withFixedTrailer(bytes: Buffer): Buffer {
  const body = bytes.subarray(0, bytes.length - 32)
  const digest = crypto
    .createHash('sha256')
    .update(bytes.subarray(0, bytes.length - 37))
    .digest()
  return Buffer.concat([body, digest])
}

/** What someone holding the key could do: re-encrypt the content with one row changed. */
async function reencryptWithChangedRow(file: string, out: string, table: string): Promise<void> {
  const { header, headerLine, reader } = await readHeader(fs.createReadStream(file))
  const key = keyFor(header, KEYS)
  const gunzip = createGunzip()
  const plain: Buffer[] = []
  await pipeline(Readable.from(decryptFrames(reader, headerLine, key)), gunzip, async (source) => {
    for await (const chunk of source) plain.push(chunk as Buffer)
  })
  const lines = Buffer.concat(plain).toString('utf8').split('\n')
  const start = lines.indexOf(JSON.stringify({ kind: 'table', name: table }))
  expect(start).toBeGreaterThan(0)
  lines[start + 1] = lines[start + 1]!.replace(/"[^"]*"/, '"CHANGED"')
  await pipeline(Readable.from([Buffer.from(lines.join('\n'))]), createGzip(), new FrameEncryptor(header, key), fs.createWriteStream(out))
}

beforeAll(async () => {
  await generateScaleData(testDb(), { scale: 'tiny' })
  // Values that trip naive dumps: quotes, backslashes, new lines, trailing spaces, four-byte characters.
  await testDb()
    .insertInto('audit_log')
    .values({
      id: newId(),
      at: new Date().toISOString(),
      user_id: null,
      username: 'backup "test" \\ 调解 ',
      roles: null,
      scope: null,
      ip: null,
      action: 'test.backup',
      record_type: null,
      record_id: null,
      result: 'ok',
      detail: '{"note":"line one\\nline two 😀","tab":"\t"}  ',
    })
    .execute()
  sourceDigests = await databaseDigests(testDb())
  backup = await createBackup(testDb(), { file: path.join(dir, 'source.tjbak'), key: KEY })
}, 60_000)

afterAll(async () => {
  for (const database of extras) await database.dispose()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe(`backup and restore (${dialect})`, () => {
  it('records every table with its count and SHA-256, the migration level and the key version', async () => {
    expect(backup.tables).toEqual(sourceDigests)
    expect(backup.tables.people!.rows).toBe(460)
    expect(backup.tables.training_records!.rows).toBe(3000)
    expect(backup.migrations).toEqual(await appliedMigrations(testDb()))
    expect(backup.keyVersion).toBe(1)
    expect(fs.statSync(backup.file).mode & 0o777).toBe(0o600)
    const sidecar = fs.readFileSync(`${backup.file}.sha256`, 'utf8')
    expect(sidecar).toBe(`${crypto.createHash('sha256').update(fs.readFileSync(backup.file)).digest('hex')}  source.tjbak\n`)
    const verified = await verifyBackup(backup.file, KEYS)
    expect(verified.tables).toEqual(sourceDigests)
    expect(verified.header.sourceDialect).toBe(dialect)
  })

  it('restore drill: a brand-new database receives identical tables, counts and checksums', async () => {
    const target = await extra(dialect)
    expect(await appliedMigrations(target.db)).toEqual([])
    const restored = await restoreBackup(target.db, { file: backup.file, keysByVersion: KEYS })
    expect(restored.prepared).toBe('migrated')
    expect(restored.migratedAfter).toEqual([])
    expect(restored.tables).toEqual(sourceDigests)
    expect(await databaseDigests(target.db)).toEqual(sourceDigests)
    expect(await appliedMigrations(target.db)).toEqual(backup.migrations)
    // The restored personal numbers still open with the data key.
    const person = await target.db
      .selectFrom('people')
      .select(['id_number_enc', 'id_number_masked'])
      .where('id_number_enc', 'is not', null)
      .executeTakeFirstOrThrow()
    expect(decrypt(person.id_number_enc!).slice(-4)).toBe(person.id_number_masked!.slice(-4))
  }, 90_000)

  it.skipIf(dialect !== 'mysql')(
    'crosses dialects: MariaDB → SQLite and SQLite → MariaDB restore with equal checksums',
    async () => {
      const sqliteTarget = await extra('sqlite')
      await restoreBackup(sqliteTarget.db, { file: backup.file, keysByVersion: KEYS })
      expect(await databaseDigests(sqliteTarget.db)).toEqual(sourceDigests)
      const fromSqlite = await createBackup(sqliteTarget.db, { file: path.join(dir, 'from-sqlite.tjbak'), key: KEY })
      expect(fromSqlite.tables).toEqual(sourceDigests)
      const mysqlTarget = await extra('mysql', true)
      const restored = await restoreBackup(mysqlTarget.db, { file: fromSqlite.file, keysByVersion: KEYS })
      expect(restored.prepared).toBe('as-is')
      expect(await databaseDigests(mysqlTarget.db)).toEqual(sourceDigests)
    },
    90_000,
  )

  it('refuses a damaged file, an altered file, a truncated file and a wrong key, leaving the target empty', async () => {
    const target = await extra('sqlite', true)
    const middle = Math.floor(fs.statSync(backup.file).size / 2)
    const flip = (bytes: Buffer) => {
      const copy = Buffer.from(bytes)
      copy[middle] = copy[middle]! ^ 0x01
      return copy
    }
    const attempt = (file: string, keys: ReadonlyMap<number, Buffer> = KEYS) => restoreBackup(target.db, { file, keysByVersion: keys })

    await expect(attempt(copyOf(backup.file, 'damaged.tjbak', flip))).rejects.toThrow(/whole-file SHA-256 does not match/)
    await expect(attempt(copyOf(backup.file, 'altered.tjbak', (b) => withFixedTrailer(flip(b))))).rejects.toThrow(
      /altered or damaged \(frame \d+ fails authentication\)/,
    )
    const header = copyOf(backup.file, 'header.tjbak', (b) =>
      withFixedTrailer(Buffer.from(b.toString('latin1').replace('"createdAt":"2', '"createdAt":"3'), 'latin1')),
    )
    await expect(attempt(header)).rejects.toThrow(/frame 0 fails authentication/)
    await expect(attempt(copyOf(backup.file, 'short.tjbak', (b) => b.subarray(0, middle)))).rejects.toThrow(BackupError)
    await expect(attempt(backup.file, new Map([[1, crypto.randomBytes(32)]]))).rejects.toThrow(/not the key this backup was made with/)
    await expect(attempt(backup.file, new Map([[2, KEY.key]]))).rejects.toThrow(/data key version 1, which TIAOJIE_DATA_KEY does not hold/)
    await expect(verifyBackup(path.join(dir, 'altered.tjbak'), KEYS)).rejects.toThrow(BackupError)
    expect(await rowsIn(target.db)).toBe(0)
  }, 60_000)

  it('rolls everything back when a re-encrypted file holds a changed row', async () => {
    const changed = path.join(dir, 'changed-row.tjbak')
    await reencryptWithChangedRow(backup.file, changed, 'users')
    const target = await extra('sqlite', true)
    // Tables before `users` (alphabetically) load first; the check at the end of `users` fails.
    await expect(restoreBackup(target.db, { file: changed, keysByVersion: KEYS })).rejects.toThrow(
      /users section does not match its checksum/,
    )
    expect(await rowsIn(target.db)).toBe(0)
  }, 60_000)

  it('refuses a target that holds data unless --replace, which drops it first', async () => {
    const target = await extra('sqlite', true)
    await target.db
      .insertInto('regions')
      .values({ code: '990000', name: '测试', level: 'province', parent_code: null, path: '/990000/', sort: 1 })
      .execute()
    await expect(restoreBackup(target.db, { file: backup.file, keysByVersion: KEYS })).rejects.toThrow(/not empty .*--replace/)
    expect((await databaseDigests(target.db)).regions!.rows).toBe(1)
    const replaced = await restoreBackup(target.db, { file: backup.file, keysByVersion: KEYS, replace: true })
    expect(replaced.prepared).toBe('replaced')
    expect(await databaseDigests(target.db)).toEqual(sourceDigests)
  }, 60_000)

  it('restores a backup made at an older migration level, then migrates it forward', async () => {
    const names = Object.keys(migrations).sort()
    const older = names[names.length - 4]!
    const source = await extra('sqlite')
    const up = await new Migrator({ db: source.db, provider: { getMigrations: async () => migrations } }).migrateTo(older)
    expect(up.error).toBeUndefined()
    await source.db
      .insertInto('regions')
      .values({ code: '990000', name: '测试省', level: 'province', parent_code: null, path: '/990000/', sort: 1 })
      .execute()
    const oldBackup = await createBackup(source.db, { file: path.join(dir, 'older.tjbak'), key: KEY })
    expect(oldBackup.migrations.at(-1)).toBe(older)
    const target = await extra('sqlite')
    const restored = await restoreBackup(target.db, { file: oldBackup.file, keysByVersion: KEYS })
    expect(restored.prepared).toBe('migrated')
    expect(restored.migratedAfter).toEqual(names.slice(names.length - 3))
    expect(await appliedMigrations(target.db)).toEqual(names)
    expect(await target.db.selectFrom('regions').select('name').where('code', '=', '990000').executeTakeFirst()).toEqual({ name: '测试省' })
  }, 60_000)

  it('holds no plaintext ID or phone number: the backup file, its decrypted content, a plain database dump', async () => {
    const people = await testDb().selectFrom('people').select(['id_number_enc', 'phone_enc']).execute()
    const parties = await testDb().selectFrom('case_parties').select('id_number_enc').execute()
    const numbers = new Set<string>()
    for (const sealed of [...people.flatMap((p) => [p.id_number_enc, p.phone_enc]), ...parties.map((p) => p.id_number_enc)]) {
      if (sealed) numbers.add(decrypt(sealed))
    }
    expect([...numbers].some((n) => n.length === 18)).toBe(true)
    expect([...numbers].some((n) => n.length === 11)).toBe(true)
    expect(numbers.size).toBeGreaterThan(800)
    const planted = [...numbers][7]!
    expect(findPersonalNumbers(Buffer.from(`x${planted}y`), numbers)).toEqual([planted])

    expect(findPersonalNumbers(fs.readFileSync(backup.file), numbers)).toEqual([])
    const content: string[] = []
    for await (const record of readBackup(backup.file, KEYS)) if (record.kind === 'row') content.push(JSON.stringify(record.values))
    expect(content.length).toBe(backup.rows)
    expect(findPersonalNumbers(Buffer.from(content.join('\n')), numbers)).toEqual([])
    expect(findPersonalNumbers(plainDump(), numbers)).toEqual([])
  }, 60_000)
})

/** The database as an operator would copy it: the SQLite file, or mariadb-dump's SQL. */
function plainDump(): Buffer {
  const url = process.env.DATABASE_URL!
  if (!isMysql(testDb() as Kysely<Database> as Kysely<unknown>)) {
    const file = url.slice('file:'.length)
    return Buffer.concat(['', '-wal'].filter((s) => fs.existsSync(file + s)).map((s) => fs.readFileSync(file + s)))
  }
  const parsed = new URL(url)
  const args = [
    '-h',
    parsed.hostname,
    '-P',
    parsed.port || '3306',
    '-u',
    decodeURIComponent(parsed.username),
    '--single-transaction',
    parsed.pathname.slice(1),
  ]
  const run = spawnSync('mariadb-dump', args, {
    env: { ...process.env, MYSQL_PWD: decodeURIComponent(parsed.password) },
    maxBuffer: 1 << 28,
  })
  expect(run.status, String(run.stderr)).toBe(0)
  expect(run.stdout.length).toBeGreaterThan(100_000)
  return run.stdout
}

// listTables is what both sides compare; guard that it sees the generator's tables at all.
it('lists the tables a backup holds, without Kysely bookkeeping', async () => {
  const names = (await listTables(testDb())).map((t) => t.name)
  expect(names).toContain('people')
  expect(names.some((n) => n.startsWith('kysely_'))).toBe(false)
})
