/**
 * Reading a backup: the whole-file checksum, then the decrypted, decompressed records, checked as
 * they stream by (schema first, each table's rows between its start and end records, each table's
 * row count and SHA-256 equal to what the end record says, and the closing record present).
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { StringDecoder } from 'node:string_decoder'
import { Readable, pipeline } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { z } from 'zod'
import { type BackupHeader, BackupError, TRAILER_BYTES, TRAILER_MAGIC, decryptFrames, keyFor, readHeader } from './format.ts'
import type { TableInfo } from './tables.ts'

const tableInfoSchema = z.object({ name: z.string().min(1), columns: z.array(z.string()).min(1), orderBy: z.array(z.string()).min(1) })

const controlSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('schema'), tables: z.array(tableInfoSchema) }),
  z.object({ kind: z.literal('table'), name: z.string() }),
  z.object({ kind: z.literal('tableEnd'), name: z.string(), rows: z.number().int().min(0), sha256: z.string().length(64) }),
  z.object({ kind: z.literal('end'), tables: z.number().int().min(0), rows: z.number().int().min(0) }),
])

export type ControlRecord = z.infer<typeof controlSchema>

export type BackupRecord =
  | { kind: 'schema'; tables: TableInfo[] }
  | { kind: 'table'; table: TableInfo }
  | { kind: 'row'; table: TableInfo; values: (string | number | null)[] }
  | { kind: 'tableEnd'; table: TableInfo; rows: number; sha256: string }
  | { kind: 'end'; tables: number; rows: number }

/**
 * Checks the SHA-256 in the trailer against the file's bytes, and returns the SHA-256 of the whole
 * file (what `sha256sum` prints), without decrypting anything.
 */
export async function verifyFileChecksum(file: string): Promise<{ fileSha256: string; bytes: number }> {
  const { size } = await fs.promises.stat(file)
  if (size < TRAILER_BYTES + 16) throw new BackupError('the backup is truncated')
  const content = createHash('sha256')
  const whole = createHash('sha256')
  for await (const chunk of fs.createReadStream(file, { end: size - TRAILER_BYTES - 1 })) {
    content.update(chunk as Buffer)
    whole.update(chunk as Buffer)
  }
  const handle = await fs.promises.open(file, 'r')
  const trailer = Buffer.alloc(TRAILER_BYTES)
  try {
    await handle.read(trailer, 0, TRAILER_BYTES, size - TRAILER_BYTES)
  } finally {
    await handle.close()
  }
  whole.update(trailer)
  if (!trailer.subarray(0, TRAILER_MAGIC.length).equals(TRAILER_MAGIC)) throw new BackupError('the backup is truncated (no trailer)')
  if (!trailer.subarray(TRAILER_MAGIC.length).equals(content.digest())) {
    throw new BackupError('the backup has been altered or damaged (whole-file SHA-256 does not match)')
  }
  return { fileSha256: whole.digest('hex'), bytes: size }
}

export async function readBackupHeader(file: string): Promise<BackupHeader> {
  const stream = fs.createReadStream(file)
  try {
    return (await readHeader(stream)).header
  } finally {
    stream.destroy()
  }
}

async function* lines(source: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8')
  let rest = ''
  for await (const chunk of source) {
    const text = rest + decoder.write(chunk)
    const parts = text.split('\n')
    rest = parts.pop()!
    yield* parts
  }
  rest += decoder.end()
  if (rest) throw new BackupError('the backup content ends in the middle of a record')
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line)
  } catch {
    throw new BackupError('the backup content holds a line that is not JSON')
  }
}

/** Decrypts and checks the records of a backup as they are consumed. */
export async function* readBackup(file: string, keysByVersion: ReadonlyMap<number, Buffer>): AsyncGenerator<BackupRecord> {
  const stream = fs.createReadStream(file)
  const { header, headerLine, reader } = await readHeader(stream)
  const key = keyFor(header, keysByVersion)
  const gunzip = createGunzip()
  pipeline(Readable.from(decryptFrames(reader, headerLine, key)), gunzip, () => {})
  let tables: Map<string, TableInfo> | undefined
  let current: { table: TableInfo; rows: number; hash: ReturnType<typeof createHash> } | undefined
  const done = new Set<string>()
  let total = 0
  let ended = false
  try {
    for await (const line of lines(gunzip)) {
      if (ended) throw new BackupError('the backup has records after its closing record')
      if (line.startsWith('[')) {
        if (!current) throw new BackupError('the backup has a row outside any table')
        const values = parseLine(line)
        if (!Array.isArray(values) || values.length !== current.table.columns.length) {
          throw new BackupError(`the backup has a malformed row in ${current.table.name}`)
        }
        current.hash.update(`${line}\n`)
        current.rows += 1
        yield { kind: 'row', table: current.table, values }
        continue
      }
      const parsed = controlSchema.safeParse(parseLine(line))
      if (!parsed.success) throw new BackupError('the backup holds an unknown record')
      const record = parsed.data
      if (record.kind === 'schema') {
        if (tables) throw new BackupError('the backup holds two schema records')
        tables = new Map(record.tables.map((t) => [t.name, t]))
        yield { kind: 'schema', tables: record.tables }
      } else if (!tables) {
        throw new BackupError('the backup does not start with its schema')
      } else if (record.kind === 'table') {
        const table = tables.get(record.name)
        if (!table || current || done.has(record.name)) throw new BackupError(`the backup has an unexpected section for ${record.name}`)
        current = { table, rows: 0, hash: createHash('sha256') }
        yield { kind: 'table', table }
      } else if (record.kind === 'tableEnd') {
        if (!current || current.table.name !== record.name) throw new BackupError(`the backup has an unexpected end of ${record.name}`)
        const sha256 = current.hash.digest('hex')
        if (current.rows !== record.rows || sha256 !== record.sha256) {
          throw new BackupError(
            `the backup's ${record.name} section does not match its checksum (${current.rows} rows read, ${record.rows} recorded)`,
          )
        }
        done.add(record.name)
        total += record.rows
        yield { kind: 'tableEnd', table: current.table, rows: record.rows, sha256 }
        current = undefined
      } else {
        if (current || done.size !== tables.size || record.tables !== tables.size || record.rows !== total) {
          throw new BackupError('the backup is incomplete (its closing record does not match its tables)')
        }
        ended = true
        yield { kind: 'end', tables: record.tables, rows: record.rows }
      }
    }
    if (!ended) throw new BackupError('the backup is incomplete (no closing record)')
  } finally {
    gunzip.destroy()
    stream.destroy()
  }
}

export interface VerifiedBackup {
  header: BackupHeader
  fileSha256: string
  bytes: number
  tables: Record<string, { rows: number; sha256: string }>
  rows: number
}

/** Reads a whole backup without a database: checksum, key, every frame and every table's digest. */
export async function verifyBackup(file: string, keysByVersion: ReadonlyMap<number, Buffer>): Promise<VerifiedBackup> {
  const { fileSha256, bytes } = await verifyFileChecksum(file)
  const header = await readBackupHeader(file)
  const tables: VerifiedBackup['tables'] = {}
  let rows = 0
  for await (const record of readBackup(file, keysByVersion)) {
    if (record.kind === 'tableEnd') tables[record.table.name] = { rows: record.rows, sha256: record.sha256 }
    if (record.kind === 'end') rows = record.rows
  }
  return { header, fileSha256, bytes, tables, rows }
}
