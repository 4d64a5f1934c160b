/**
 * Sign-in throttling rules (security checklist 9), pure so they can be tested with any clock.
 * Accounts: the first few failures cost nothing; after that each failure locks the account for
 * a doubling period, capped, so an attacker can delay a user but never lock them out for good.
 * Addresses: a token bucket, so one address cannot spray many accounts.
 */
export const THROTTLE = {
  freeFailures: 5,
  firstLockMinutes: 1,
  maxLockMinutes: 15,
  bucketCapacity: 30,
  /** Tokens regained per minute. */
  bucketRefillPerMinute: 3,
} as const

export function lockMinutesAfter(failures: number): number {
  if (failures < THROTTLE.freeFailures) return 0
  const doublings = failures - THROTTLE.freeFailures
  return Math.min(THROTTLE.firstLockMinutes * 2 ** doublings, THROTTLE.maxLockMinutes)
}

/** Remaining whole minutes (at least 1) while locked, else 0. */
export function minutesLocked(lockedUntil: string | null, now: number): number {
  if (!lockedUntil) return 0
  const ms = Date.parse(lockedUntil) - now
  return ms > 0 ? Math.ceil(ms / 60_000) : 0
}

/** Refills a bucket for the time since its last update; values in thousandths of a token. */
export function refill(bucketMilli: number, updatedAt: string, now: number): number {
  const minutes = Math.max(0, now - Date.parse(updatedAt)) / 60_000
  return Math.min(THROTTLE.bucketCapacity * 1000, Math.floor(bucketMilli + minutes * THROTTLE.bucketRefillPerMinute * 1000))
}
