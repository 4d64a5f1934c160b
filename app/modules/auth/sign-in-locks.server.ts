/**
 * Sign-in locks for the security administrator (permission session:manage): which accounts are
 * locked after failed attempts, which addresses have used up their attempts, and lifting a lock.
 */
import { audit } from '#app/lib/audit.server.ts'
import type { Executor } from '#app/lib/db.server.ts'
import { type AuthUser, actorOf } from './authz.server.ts'
import { THROTTLE, minutesLocked, refill } from './throttle-policy.ts'

export interface AccountLock {
  key: string
  username: string
  failures: number
  lockedUntil: string
  minutes: number
}

export interface AddressLock {
  key: string
  address: string
  /** When one attempt is allowed again. */
  freeAt: string
}

const LIST_LIMIT = 200
/** The longest an empty bucket takes to regain one attempt; older address rows cannot be locked. */
const ONE_TOKEN_MS = 60_000 / THROTTLE.bucketRefillPerMinute

export async function listLocks(db: Executor, now = Date.now()): Promise<{ accounts: AccountLock[]; addresses: AddressLock[] }> {
  const at = new Date(now).toISOString()
  const [accounts, addresses] = await Promise.all([
    db
      .selectFrom('sign_in_throttle')
      .select(['key', 'failures', 'locked_until'])
      .where('key', 'like', 'account:%')
      .where('locked_until', '>', at)
      .orderBy('locked_until', 'desc')
      .limit(LIST_LIMIT)
      .execute(),
    db
      .selectFrom('sign_in_throttle')
      .select(['key', 'bucket_milli', 'updated_at'])
      .where('key', 'like', 'address:%')
      .where('bucket_milli', '<', 1000)
      .where('updated_at', '>', new Date(now - ONE_TOKEN_MS).toISOString())
      .orderBy('updated_at', 'desc')
      .limit(LIST_LIMIT)
      .execute(),
  ])
  return {
    accounts: accounts.map((r) => ({
      key: r.key,
      username: r.key.slice('account:'.length),
      failures: r.failures,
      lockedUntil: r.locked_until!,
      minutes: minutesLocked(r.locked_until, now),
    })),
    addresses: addresses
      .filter((r) => refill(r.bucket_milli, r.updated_at, now) < 1000)
      .map((r) => {
        const missing = 1000 - r.bucket_milli
        const freeAt = Date.parse(r.updated_at) + (missing / 1000) * ONE_TOKEN_MS
        return { key: r.key, address: r.key.slice('address:'.length), freeAt: new Date(Math.ceil(freeAt)).toISOString() }
      }),
  }
}

/** Lifts a lock: the account's failures start again from zero, the address gets a full bucket. */
export async function liftLock(db: Executor, request: Request, actor: AuthUser, key: string): Promise<boolean> {
  const row = await db.selectFrom('sign_in_throttle').select(['failures', 'locked_until']).where('key', '=', key).executeTakeFirst()
  if (!row) return false
  await db.deleteFrom('sign_in_throttle').where('key', '=', key).execute()
  await audit(db, request, actorOf(actor), {
    action: 'auth.lock_lifted',
    recordType: key.startsWith('account:') ? 'sign_in_account' : 'sign_in_address',
    recordId: key.slice(key.indexOf(':') + 1).slice(0, 64),
    detail: { key, before: { failures: row.failures, lockedUntil: row.locked_until } },
  })
  return true
}
