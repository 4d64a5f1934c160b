/** WEB_CONCURRENCY decides whether server/start.js forks app processes (server/cluster.js). */
import { describe, expect, it } from 'vitest'
import { shouldFork, workerCount } from '../../server/cluster.js'

describe('app processes per machine', () => {
  it('reads WEB_CONCURRENCY, one process unless it asks for more', () => {
    expect(workerCount({})).toBe(1)
    expect(workerCount({ WEB_CONCURRENCY: '2' })).toBe(2)
    expect(workerCount({ WEB_CONCURRENCY: '1' })).toBe(1)
    expect(workerCount({ WEB_CONCURRENCY: '0' })).toBe(1)
    expect(workerCount({ WEB_CONCURRENCY: 'two' })).toBe(1)
    expect(workerCount({ WEB_CONCURRENCY: '2.5' })).toBe(1)
    expect(workerCount({ WEB_CONCURRENCY: '500' })).toBe(64)
  })

  it('forks only in production-style runs with more than one process', () => {
    expect(shouldFork({ WEB_CONCURRENCY: '2' }, ['node', 'server/start.js'])).toBe(true)
    expect(shouldFork({ WEB_CONCURRENCY: '2' }, ['node', 'server/start.js', '--dev'])).toBe(false)
    expect(shouldFork({}, ['node', 'server/start.js'])).toBe(false)
  })
})
