/**
 * Export files at rest: every result file is AES-256-GCM encrypted while it is written, so a
 * register with full ID and phone numbers (or masked ones next to names and birth dates) never
 * lies on the shared upload storage in the clear (security checklist 26).
 *
 * Layout: `TJX1` · key version (uint32 BE) · salt (16) · iv (12) · ciphertext · tag (16). The file
 * key is derived with HKDF-SHA-256 from the TIAOJIE_DATA_KEY entry of that version and the file's
 * random salt (as backups do, docs/decisions/024-backups.md); the 36-byte header is the additional
 * data, so a changed header fails authentication like changed ciphertext does.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import { Readable, type Transform } from 'node:stream'
import { parseKeyring } from '#app/lib/crypto.server.ts'
import { getEnv } from '#app/lib/env.server.ts'

const MAGIC = Buffer.from('TJX1')
const SALT_BYTES = 16
const IV_BYTES = 12
const TAG_BYTES = 16
export const HEADER_BYTES = MAGIC.length + 4 + SALT_BYTES + IV_BYTES
/** What encryption adds to a file's size. */
export const OVERHEAD_BYTES = HEADER_BYTES + TAG_BYTES

function keyring() {
  return parseKeyring(getEnv().TIAOJIE_DATA_KEY)
}

function fileKey(dataKey: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, salt, 'tiaojie export file key v1', 32))
}

export class ExportFileUnreadable extends Error {
  override name = 'ExportFileUnreadable'
}

/**
 * A stream that encrypts what is written to it into `file`. Resolves `done` once the file is
 * complete (header, ciphertext, tag) and closed.
 */
export function encryptingFileStream(file: string): { input: Transform; done: Promise<void> } {
  const { version, key } = keyring().current
  const salt = randomBytes(SALT_BYTES)
  const iv = randomBytes(IV_BYTES)
  const header = Buffer.alloc(HEADER_BYTES)
  MAGIC.copy(header, 0)
  header.writeUInt32BE(version, MAGIC.length)
  salt.copy(header, MAGIC.length + 4)
  iv.copy(header, MAGIC.length + 4 + SALT_BYTES)
  const cipher = createCipheriv('aes-256-gcm', fileKey(key, salt), iv)
  cipher.setAAD(header)
  const out = fs.createWriteStream(file, { mode: 0o600 })
  out.write(header)
  const done = new Promise<void>((resolve, reject) => {
    cipher.on('error', reject)
    out.on('error', reject)
    out.on('finish', resolve)
    cipher.on('data', (chunk: Buffer) => {
      if (!out.write(chunk)) {
        cipher.pause()
        out.once('drain', () => cipher.resume())
      }
    })
    cipher.on('end', () => {
      out.end(cipher.getAuthTag())
    })
  })
  return { input: cipher, done }
}

/**
 * The plaintext of an encrypted export file as a stream, and its length. The tag is checked when
 * the stream ends: a damaged or altered file makes the stream fail (the download breaks off)
 * rather than deliver altered bytes silently.
 */
export async function decryptingFileStream(file: string): Promise<{ stream: Readable; size: number }> {
  const handle = await fs.promises.open(file, 'r')
  try {
    const { size } = await handle.stat()
    if (size < OVERHEAD_BYTES) throw new ExportFileUnreadable('too short')
    const header = Buffer.alloc(HEADER_BYTES)
    await handle.read(header, 0, HEADER_BYTES, 0)
    const tag = Buffer.alloc(TAG_BYTES)
    await handle.read(tag, 0, TAG_BYTES, size - TAG_BYTES)
    if (!header.subarray(0, MAGIC.length).equals(MAGIC)) throw new ExportFileUnreadable('not an export file')
    const version = header.readUInt32BE(MAGIC.length)
    const dataKey = keyring().byVersion.get(version)
    if (!dataKey) throw new ExportFileUnreadable('unknown key version')
    const salt = header.subarray(MAGIC.length + 4, MAGIC.length + 4 + SALT_BYTES)
    const iv = header.subarray(MAGIC.length + 4 + SALT_BYTES)
    const decipher = createDecipheriv('aes-256-gcm', fileKey(dataKey, salt), iv)
    decipher.setAAD(header)
    decipher.setAuthTag(tag)
    const plainSize = size - OVERHEAD_BYTES
    const source = plainSize > 0 ? fs.createReadStream(file, { start: HEADER_BYTES, end: size - TAG_BYTES - 1 }) : Readable.from([])
    source.on('error', (error: Error) => decipher.destroy(error))
    return { stream: source.pipe(decipher), size: plainSize }
  } finally {
    await handle.close()
  }
}

/** The whole plaintext, authenticated (tests and small files). */
export async function readDecrypted(file: string): Promise<Buffer> {
  const { stream } = await decryptingFileStream(file)
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}
