/**
 * The backup file format (docs/decisions/024-backups.md), version 1:
 *
 *   TJBACKUP1\n
 *   <header: one line of JSON, in the clear but authenticated>\n
 *   frame*            flag (1 byte: 0 more, 1 last) · length (uint32 BE) · AES-256-GCM ciphertext · tag (16)
 *   TJEND · SHA-256 of every byte before "TJEND" (32 bytes)
 *
 * The plaintext inside the frames is a gzip stream of JSON lines (db/backup/records.ts). Each file
 * has its own key, derived with HKDF-SHA-256 from the data key of the version named in the header
 * and a random salt, so frame nonces can be a plain counter. The additional data of every frame is
 * the header's SHA-256, the frame's index and its flag: a changed header, reordered, dropped or
 * appended frames, or a cut-off file all fail authentication.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto'
import { Transform, type TransformCallback } from 'node:stream'
import { z } from 'zod'

export const MAGIC = Buffer.from('TJBACKUP1\n')
export const TRAILER_MAGIC = Buffer.from('TJEND')
export const TRAILER_BYTES = TRAILER_MAGIC.length + 32
export const FRAME_PLAINTEXT_BYTES = 1 << 20
const TAG_BYTES = 16
const MAX_HEADER_BYTES = 1 << 20

export const headerSchema = z.object({
  format: z.literal('tiaojie-backup'),
  version: z.literal(1),
  createdAt: z.string(),
  sourceDialect: z.enum(['sqlite', 'mysql']),
  cipher: z.literal('AES-256-GCM'),
  compression: z.literal('gzip'),
  /** Version of the TIAOJIE_DATA_KEY entry the file key derives from. */
  keyVersion: z.number().int().positive(),
  salt: z.string().min(16),
  /** HMAC of a fixed text under the file key: tells a wrong key from a damaged file up front. */
  keyCheck: z.string().min(16),
  /** Applied migrations of the source, oldest first: the schema level the data belongs to. */
  migrations: z.array(z.string()),
})

export type BackupHeader = z.infer<typeof headerSchema>

export class BackupError extends Error {
  override name = 'BackupError'
}

function fileKey(dataKey: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, salt, 'tiaojie backup file key v1', 32))
}

function keyCheckOf(key: Buffer): string {
  return createHmac('sha256', key).update('tiaojie backup key check').digest().subarray(0, 16).toString('base64')
}

function nonce(index: number): Buffer {
  const iv = Buffer.alloc(12)
  iv.writeBigUInt64BE(BigInt(index), 4)
  return iv
}

function additionalData(headerHash: Buffer, index: number, last: boolean): Buffer {
  const extra = Buffer.alloc(9)
  extra.writeBigUInt64BE(BigInt(index), 0)
  extra[8] = last ? 1 : 0
  return Buffer.concat([headerHash, extra])
}

export interface NewHeader {
  header: BackupHeader
  key: Buffer
}

export function newHeader(input: {
  sourceDialect: 'sqlite' | 'mysql'
  keyVersion: number
  dataKey: Buffer
  migrations: string[]
}): NewHeader {
  const salt = randomBytes(32)
  const key = fileKey(input.dataKey, salt)
  return {
    key,
    header: {
      format: 'tiaojie-backup',
      version: 1,
      createdAt: new Date().toISOString(),
      sourceDialect: input.sourceDialect,
      cipher: 'AES-256-GCM',
      compression: 'gzip',
      keyVersion: input.keyVersion,
      salt: salt.toString('base64'),
      keyCheck: keyCheckOf(key),
      migrations: input.migrations,
    },
  }
}

/** The file key for a header, or a BackupError naming the missing or wrong key. */
export function keyFor(header: BackupHeader, keysByVersion: ReadonlyMap<number, Buffer>): Buffer {
  const dataKey = keysByVersion.get(header.keyVersion)
  if (!dataKey) {
    throw new BackupError(`the backup was encrypted with data key version ${header.keyVersion}, which TIAOJIE_DATA_KEY does not hold`)
  }
  const key = fileKey(dataKey, Buffer.from(header.salt, 'base64'))
  if (keyCheckOf(key) !== header.keyCheck) {
    throw new BackupError(`TIAOJIE_DATA_KEY version ${header.keyVersion} is not the key this backup was made with`)
  }
  return key
}

/**
 * Turns the compressed plaintext into the file: magic, header, frames, trailer. Buffers at most one
 * frame of plaintext.
 */
export class FrameEncryptor extends Transform {
  private readonly hash = createHash('sha256')
  private readonly headerHash: Buffer
  private pending: Buffer[] = []
  private pendingBytes = 0
  private index = 0

  constructor(
    header: BackupHeader,
    private readonly key: Buffer,
  ) {
    super()
    const headerLine = Buffer.from(`${JSON.stringify(header)}\n`)
    this.headerHash = createHash('sha256').update(headerLine).digest()
    this.out(Buffer.concat([MAGIC, headerLine]))
  }

  private out(bytes: Buffer): void {
    this.hash.update(bytes)
    this.push(bytes)
  }

  private frame(plain: Buffer, last: boolean): void {
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce(this.index))
    cipher.setAAD(additionalData(this.headerHash, this.index, last))
    const body = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()])
    const prefix = Buffer.alloc(5)
    prefix[0] = last ? 1 : 0
    prefix.writeUInt32BE(body.length, 1)
    this.out(prefix)
    this.out(body)
    this.index += 1
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.pending.push(chunk)
    this.pendingBytes += chunk.length
    while (this.pendingBytes >= FRAME_PLAINTEXT_BYTES) {
      const all = Buffer.concat(this.pending)
      this.frame(all.subarray(0, FRAME_PLAINTEXT_BYTES), false)
      const rest = all.subarray(FRAME_PLAINTEXT_BYTES)
      this.pending = [rest]
      this.pendingBytes = rest.length
    }
    done()
  }

  override _flush(done: TransformCallback): void {
    this.frame(Buffer.concat(this.pending), true)
    this.pending = []
    const digest = this.hash.digest()
    this.push(Buffer.concat([TRAILER_MAGIC, digest]))
    done()
  }
}

/** Reads exact byte counts from a stream of chunks. */
class ByteReader {
  private buffered: Buffer[] = []
  private bufferedBytes = 0
  private done = false
  private readonly iterator: AsyncIterator<Buffer>

  constructor(source: AsyncIterable<Buffer>) {
    this.iterator = source[Symbol.asyncIterator]()
  }

  /** Up to `n` bytes; fewer only at the end of the stream. */
  async read(n: number): Promise<Buffer> {
    while (this.bufferedBytes < n && !this.done) {
      const next = await this.iterator.next()
      if (next.done) this.done = true
      else {
        this.buffered.push(next.value)
        this.bufferedBytes += next.value.length
      }
    }
    const all = Buffer.concat(this.buffered)
    const out = all.subarray(0, n)
    const rest = all.subarray(n)
    this.buffered = rest.length ? [rest] : []
    this.bufferedBytes = rest.length
    return out
  }

  async readLine(max: number): Promise<Buffer> {
    const parts: Buffer[] = []
    let length = 0
    for (;;) {
      const byte = await this.read(1)
      if (!byte.length) throw new BackupError('not a Tiaojie backup: the header ends early')
      if (byte[0] === 0x0a) return Buffer.concat(parts)
      parts.push(byte)
      length += 1
      if (length > max) throw new BackupError('not a Tiaojie backup: the header is too long')
    }
  }

  async atEnd(): Promise<boolean> {
    return (await this.read(1)).length === 0
  }
}

/** Magic and header of a file, checked against the schema. */
export async function readHeader(source: AsyncIterable<Buffer>): Promise<{ header: BackupHeader; headerLine: Buffer; reader: ByteReader }> {
  const reader = new ByteReader(source)
  const magic = await reader.read(MAGIC.length)
  if (!magic.equals(MAGIC)) throw new BackupError('not a Tiaojie backup (unknown file signature)')
  const headerLine = await reader.readLine(MAX_HEADER_BYTES)
  let parsed: unknown
  try {
    parsed = JSON.parse(headerLine.toString('utf8'))
  } catch {
    throw new BackupError('not a Tiaojie backup: the header is not JSON')
  }
  const header = headerSchema.safeParse(parsed)
  if (!header.success) throw new BackupError(`unsupported backup header: ${header.error.issues[0]?.message ?? 'invalid'}`)
  return { header: header.data, headerLine, reader }
}

/**
 * Decrypts the frames after the header, yielding the compressed plaintext, and insists on the final
 * frame, a well-formed trailer and nothing after it.
 */
export async function* decryptFrames(reader: ByteReader, headerLine: Buffer, key: Buffer): AsyncGenerator<Buffer> {
  const headerHash = createHash('sha256')
    .update(Buffer.concat([headerLine, Buffer.from('\n')]))
    .digest()
  for (let index = 0; ; index++) {
    const prefix = await reader.read(5)
    if (prefix.length < 5) throw new BackupError('the backup is truncated (its last frame is missing)')
    const last = prefix[0] === 1
    if (prefix[0]! > 1) throw new BackupError('the backup is damaged (bad frame marker)')
    const length = prefix.readUInt32BE(1)
    if (length < TAG_BYTES || length > FRAME_PLAINTEXT_BYTES * 2) throw new BackupError('the backup is damaged (bad frame length)')
    const body = await reader.read(length)
    if (body.length < length) throw new BackupError('the backup is truncated')
    const decipher = createDecipheriv('aes-256-gcm', key, nonce(index))
    decipher.setAAD(additionalData(headerHash, index, last))
    decipher.setAuthTag(body.subarray(length - TAG_BYTES))
    let plain: Buffer
    try {
      plain = Buffer.concat([decipher.update(body.subarray(0, length - TAG_BYTES)), decipher.final()])
    } catch {
      throw new BackupError(`the backup has been altered or damaged (frame ${index} fails authentication)`)
    }
    yield plain
    if (last) break
  }
  const trailer = await reader.read(TRAILER_BYTES)
  if (trailer.length < TRAILER_BYTES || !trailer.subarray(0, TRAILER_MAGIC.length).equals(TRAILER_MAGIC)) {
    throw new BackupError('the backup is truncated (no trailer)')
  }
  if (!(await reader.atEnd())) throw new BackupError('the backup has unexpected bytes after its end')
}
