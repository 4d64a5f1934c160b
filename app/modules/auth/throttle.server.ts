/** Sign-in throttling state, kept in the database so it survives restarts and spans servers. */
import type { Executor } from '#app/lib/db.server.ts'
import { upsert } from '#app/lib/upsert.server.ts'
import { lockMinutesAfter, minutesLocked, refill, THROTTLE } from './throttle-policy.ts'

const accountKey = (username: string) => `account:${username}`
const addressKey = (address: string) => `address:${address}`

export type ThrottleVerdict = { ok: true } | { ok: false; reason: 'account'; minutes: number } | { ok: false; reason: 'address' }

/** Checks both limits and, for the address, spends one token. Runs before any password hashing. */
export async function checkThrottle(db: Executor, username: string, address: string | null, now = Date.now()): Promise<ThrottleVerdict> {
  const account = await db.selectFrom('sign_in_throttle').selectAll().where('key', '=', accountKey(username)).executeTakeFirst()
  const minutes = minutesLocked(account?.locked_until ?? null, now)
  if (minutes > 0) return { ok: false, reason: 'account', minutes }
  if (!address) return { ok: true }

  const key = addressKey(address)
  const row = await db.selectFrom('sign_in_throttle').selectAll().where('key', '=', key).executeTakeFirst()
  const tokens = row ? refill(row.bucket_milli, row.updated_at, now) : THROTTLE.bucketCapacity * 1000
  if (tokens < 1000) return { ok: false, reason: 'address' }
  const at = new Date(now).toISOString()
  await upsert(db, 'sign_in_throttle', { key, failures: 0, locked_until: null, bucket_milli: tokens - 1000, updated_at: at }, ['key'], {
    bucket_milli: tokens - 1000,
    updated_at: at,
  })
  return { ok: true }
}

export async function recordFailure(db: Executor, username: string, now = Date.now()): Promise<void> {
  const key = accountKey(username)
  const row = await db.selectFrom('sign_in_throttle').select('failures').where('key', '=', key).executeTakeFirst()
  const failures = (row?.failures ?? 0) + 1
  const lock = lockMinutesAfter(failures)
  const lockedUntil = lock ? new Date(now + lock * 60_000).toISOString() : null
  const at = new Date(now).toISOString()
  await upsert(db, 'sign_in_throttle', { key, failures, locked_until: lockedUntil, bucket_milli: 0, updated_at: at }, ['key'], {
    failures,
    locked_until: lockedUntil,
    updated_at: at,
  })
}

export async function clearFailures(db: Executor, username: string): Promise<void> {
  await db.deleteFrom('sign_in_throttle').where('key', '=', accountKey(username)).execute()
}
