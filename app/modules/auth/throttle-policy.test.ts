import { describe, expect, it } from 'vitest'
import { THROTTLE, lockMinutesAfter, minutesLocked, refill } from './throttle-policy.ts'

const T0 = Date.parse('2026-11-23T08:00:00.000Z')
const iso = (ms: number) => new Date(ms).toISOString()

describe('account locks', () => {
  it('lets the first failures pass and locks from the fifth', () => {
    expect(THROTTLE.freeFailures).toBe(5)
    expect([0, 1, 2, 3, 4].map(lockMinutesAfter)).toEqual([0, 0, 0, 0, 0])
    expect(lockMinutesAfter(5)).toBe(1)
  })

  it('doubles the lock with each further failure, up to a cap, so no lock is permanent', () => {
    expect([5, 6, 7, 8, 9].map(lockMinutesAfter)).toEqual([1, 2, 4, 8, 15])
    expect(lockMinutesAfter(50)).toBe(THROTTLE.maxLockMinutes)
    expect(lockMinutesAfter(10_000)).toBe(15)
  })

  it('reports the remaining whole minutes, rounded up, and 0 once the lock has passed', () => {
    expect(minutesLocked(null, T0)).toBe(0)
    expect(minutesLocked(iso(T0 - 1), T0)).toBe(0)
    expect(minutesLocked(iso(T0), T0)).toBe(0)
    expect(minutesLocked(iso(T0 + 1), T0)).toBe(1)
    expect(minutesLocked(iso(T0 + 60_000), T0)).toBe(1)
    expect(minutesLocked(iso(T0 + 60_001), T0)).toBe(2)
    expect(minutesLocked(iso(T0 + 15 * 60_000), T0)).toBe(15)
  })
})

describe('address token bucket', () => {
  it('refills three attempts a minute, in thousandths', () => {
    expect(refill(0, iso(T0), T0)).toBe(0)
    expect(refill(0, iso(T0), T0 + 20_000)).toBe(1000)
    expect(refill(0, iso(T0), T0 + 60_000)).toBe(3000)
    expect(refill(500, iso(T0), T0 + 10_000)).toBe(1000)
  })

  it('never holds more than its capacity', () => {
    expect(refill(0, iso(T0), T0 + 24 * 3600_000)).toBe(THROTTLE.bucketCapacity * 1000)
    expect(refill(29_500, iso(T0), T0 + 60_000)).toBe(30_000)
  })

  it('ignores a clock that went backwards', () => {
    expect(refill(2000, iso(T0), T0 - 60_000)).toBe(2000)
  })
})
