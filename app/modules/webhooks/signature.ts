/**
 * Signing webhook bodies (and verifying them, as receivers do): HMAC-SHA256 over
 * `<unix seconds>.<body>` with the client's webhook secret, sent as
 * `Tiaojie-Signature: t=<unix seconds>,v1=<hex>`. The timestamp is signed so a captured request
 * cannot be replayed later than the receiver's tolerance; a deliberate replay from Tiaojie is
 * signed afresh and recognised by its unchanged event id. Several `v1=` entries may appear (kept
 * for secret rotation); one matching is enough.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

export const SIGNATURE_HEADER = 'Tiaojie-Signature'
export const DELIVERY_ID_HEADER = 'Tiaojie-Delivery-Id'
export const EVENT_ID_HEADER = 'Tiaojie-Event-Id'

/** How far a signature's timestamp may be from the receiver's clock by default (5 minutes). */
export const DEFAULT_TOLERANCE_SECONDS = 300

export function computeSignature(secret: string, unixSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${unixSeconds}.${body}`, 'utf8').digest('hex')
}

export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${computeSignature(secret, unixSeconds, body)}`
}

export interface ParsedSignature {
  timestamp: number
  signatures: string[]
}

export function parseSignatureHeader(header: string | null | undefined): ParsedSignature | null {
  if (!header) return null
  let timestamp: number | null = null
  const signatures: string[] = []
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2)
    if (!key || value === undefined) continue
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value)
    if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(value)
  }
  if (timestamp === null || signatures.length === 0) return null
  return { timestamp, signatures }
}

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'expired' | 'mismatch' }

/** What a receiver does with the raw body (before parsing it) and the header. */
export function verifySignature(
  secret: string,
  body: string,
  header: string | null | undefined,
  options: { nowSeconds?: number; toleranceSeconds?: number } = {},
): VerifyResult {
  const parsed = parseSignatureHeader(header)
  if (!parsed) return { ok: false, reason: 'malformed' }
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000)
  if (Math.abs(now - parsed.timestamp) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return { ok: false, reason: 'expired' }
  const expected = Buffer.from(computeSignature(secret, parsed.timestamp, body), 'hex')
  const matches = parsed.signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected))
  return matches ? { ok: true, timestamp: parsed.timestamp } : { ok: false, reason: 'mismatch' }
}
