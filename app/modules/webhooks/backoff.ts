/**
 * When a failed delivery is tried again: exponential backoff (base × 2^(n−1), capped) with
 * "equal jitter" (a random point in the upper half of that delay), so receivers coming back after
 * an outage are not hit by every waiting delivery at the same second, while no retry comes sooner
 * than half its nominal delay. After `maxAttempts` attempts the delivery is marked failed.
 */

export interface RetryPolicy {
  maxAttempts: number
  baseDelaySeconds: number
  maxDelaySeconds: number
}

/** The nominal delay after the n-th failed attempt (n ≥ 1), in seconds, before jitter. */
export function nominalDelaySeconds(failedAttempts: number, policy: RetryPolicy): number {
  const n = Math.max(1, Math.floor(failedAttempts))
  // 2^(n−1) overflows nothing that matters: the cap applies long before.
  return Math.min(policy.maxDelaySeconds, policy.baseDelaySeconds * 2 ** Math.min(n - 1, 40))
}

/** The delay actually waited, in milliseconds: between half the nominal delay and all of it. */
export function retryDelayMs(failedAttempts: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const nominal = nominalDelaySeconds(failedAttempts, policy) * 1000
  const r = Math.min(Math.max(random(), 0), 1)
  return Math.round(nominal / 2 + (r * nominal) / 2)
}

export type NextStep = { kind: 'retry'; delayMs: number } | { kind: 'give_up' }

/** After `attemptsMade` attempts, the last of which failed. */
export function nextStep(attemptsMade: number, policy: RetryPolicy, random: () => number = Math.random): NextStep {
  if (attemptsMade >= policy.maxAttempts) return { kind: 'give_up' }
  return { kind: 'retry', delayMs: retryDelayMs(attemptsMade, policy, random) }
}

/** The schedule as [earliest, latest] seconds after each failed attempt, for the docs and the settings help. */
export function retrySchedule(policy: RetryPolicy): [number, number][] {
  const schedule: [number, number][] = []
  for (let n = 1; n < policy.maxAttempts; n++) {
    const nominal = nominalDelaySeconds(n, policy)
    schedule.push([nominal / 2, nominal])
  }
  return schedule
}

/** Only 2xx counts as delivered; redirects are never followed and count as failures. */
export function isDelivered(statusCode: number | null): boolean {
  return statusCode !== null && statusCode >= 200 && statusCode < 300
}
