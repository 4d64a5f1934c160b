/**
 * Personal numbers at rest: AES-256-GCM with the key version stored in each value, plus a keyed
 * hash (HMAC-SHA-256) for lookups and uniqueness. Keys come from TIAOJIE_DATA_KEY, never from the
 * database. Format of a sealed value: `v<version>.<iv>.<tag>.<ciphertext>` (base64url parts).
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto'
import { getEnv } from './env.server.ts'
import { maskIdNumber, maskPhone, normaliseIdNumber, normalisePhone } from './personal-numbers.ts'

interface Keyring {
  current: { version: number; key: Buffer }
  byVersion: Map<number, Buffer>
  hashKey: Buffer
}

/** Parses `2:base64,1:base64` (newest first) or a bare base64 key (version 1). */
export function parseKeyring(spec: string): Keyring {
  const entries = spec.split(',').map((part, index) => {
    const [maybeVersion, maybeKey] = part.includes(':') ? part.split(':') : [String(index + 1), part]
    const key = Buffer.from(maybeKey!.trim(), 'base64')
    if (key.length !== 32) throw new Error('TIAOJIE_DATA_KEY: each key must be 32 bytes in base64')
    return { version: Number(maybeVersion), key }
  })
  const byVersion = new Map(entries.map((e) => [e.version, e.key]))
  const oldest = [...entries].sort((a, b) => a.version - b.version)[0]!
  // The lookup hash must not change when the encryption key rotates, so it derives from the
  // oldest key, which therefore stays in the ring for good.
  const hashKey = Buffer.from(hkdfSync('sha256', oldest.key, Buffer.alloc(0), 'tiaojie lookup hash', 32))
  return { current: entries[0]!, byVersion, hashKey }
}

let ring: Keyring | undefined
function keyring(): Keyring {
  ring ??= parseKeyring(getEnv().TIAOJIE_DATA_KEY)
  return ring
}

export function encrypt(plain: string): string {
  const { version, key } = keyring().current
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  const parts = [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url'))
  return `v${version}.${parts.join('.')}`
}

export function decrypt(sealed: string): string {
  const [v, iv, tag, data] = sealed.split('.')
  const key = keyring().byVersion.get(Number(v?.slice(1)))
  if (!key || !iv || !tag || data === undefined) throw new Error('Unreadable sealed value')
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8')
}

export type PersonalNumberKind = 'id' | 'phone'

export function lookupHash(kind: PersonalNumberKind, value: string): string {
  const normal = kind === 'id' ? normaliseIdNumber(value) : normalisePhone(value)
  return createHmac('sha256', keyring().hashKey).update(`${kind}:${normal}`).digest('hex')
}

export interface SealedNumber {
  enc: string
  hash: string
  masked: string
}

/** Encrypts, hashes and masks a validated number in one step, so no caller forgets one of them. */
export function sealPersonalNumber(kind: PersonalNumberKind, value: string): SealedNumber {
  const normal = kind === 'id' ? normaliseIdNumber(value) : normalisePhone(value)
  return {
    enc: encrypt(normal),
    hash: lookupHash(kind, normal),
    masked: kind === 'id' ? maskIdNumber(normal) : maskPhone(normal),
  }
}

/** For tests that swap keys. */
export function resetKeyring(): void {
  ring = undefined
}
