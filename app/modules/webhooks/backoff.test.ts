import { describe, expect, it } from 'vitest'
import { isDelivered, nextStep, nominalDelaySeconds, retryDelayMs, retrySchedule } from './backoff.ts'

const POLICY = { maxAttempts: 6, baseDelaySeconds: 30, maxDelaySeconds: 300 }

describe('retry backoff', () => {
  it('doubles from the base delay and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => nominalDelaySeconds(n, POLICY))).toEqual([30, 60, 120, 240, 300, 300])
    expect(nominalDelaySeconds(1000, POLICY)).toBe(300)
  })

  it('jitters between half the nominal delay and all of it', () => {
    expect(retryDelayMs(3, POLICY, () => 0)).toBe(60_000)
    expect(retryDelayMs(3, POLICY, () => 1)).toBe(120_000)
    expect(retryDelayMs(3, POLICY, () => 0.5)).toBe(90_000)
    // Many random draws stay inside the band.
    for (let i = 0; i < 200; i++) {
      const d = retryDelayMs(2, POLICY)
      expect(d).toBeGreaterThanOrEqual(30_000)
      expect(d).toBeLessThanOrEqual(60_000)
    }
  })

  it('retries until the maximum number of attempts, then gives up', () => {
    expect(nextStep(1, POLICY, () => 0)).toEqual({ kind: 'retry', delayMs: 15_000 })
    expect(nextStep(5, POLICY, () => 1)).toEqual({ kind: 'retry', delayMs: 300_000 })
    expect(nextStep(6, POLICY)).toEqual({ kind: 'give_up' })
    expect(nextStep(1, { ...POLICY, maxAttempts: 1 })).toEqual({ kind: 'give_up' })
  })

  it('lists the schedule of waits between the attempts', () => {
    expect(retrySchedule(POLICY)).toEqual([
      [15, 30],
      [30, 60],
      [60, 120],
      [120, 240],
      [150, 300],
    ])
  })

  it('counts only 2xx as delivered', () => {
    expect([200, 204, 299].every(isDelivered)).toBe(true)
    expect([null, 199, 301, 302, 400, 410, 500].some(isDelivered)).toBe(false)
  })
})
