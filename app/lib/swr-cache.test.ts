import { describe, expect, it } from 'vitest'
import { SwrCache } from './swr-cache.ts'

function setup() {
  let clock = 1_000_000
  const cache = new SwrCache<string>({ freshMs: 60_000, staleMs: 900_000, max: 3, now: () => clock })
  let runs = 0
  const compute = (value: string) => async () => {
    runs++
    return `${value}#${runs}`
  }
  const advance = (ms: number) => {
    clock += ms
  }
  return { cache, compute, advance, runs: () => runs }
}

const settle = () => new Promise((resolve) => setImmediate(resolve))

describe('SwrCache', () => {
  it('serves a fresh value without recomputing, and says when it was computed', async () => {
    const s = setup()
    const first = await s.cache.get('k', s.compute('a'))
    s.advance(59_000)
    const again = await s.cache.get('k', s.compute('b'))
    expect(first).toEqual({ value: 'a#1', at: 1_000_000 })
    expect(again).toEqual(first)
    expect(s.runs()).toBe(1)
  })

  it('serves a stale value at once and refreshes it once in the background', async () => {
    const s = setup()
    await s.cache.get('k', s.compute('a'))
    s.advance(120_000)
    const stale = await s.cache.get('k', s.compute('b'))
    const alsoStale = await s.cache.get('k', s.compute('c'))
    expect(stale.value).toBe('a#1')
    expect(alsoStale.value).toBe('a#1')
    await settle()
    // One refresh for both stale reads, and its value is served next.
    expect(s.runs()).toBe(2)
    const fresh = await s.cache.get('k', s.compute('d'))
    expect(fresh).toEqual({ value: 'b#2', at: 1_120_000 })
  })

  it('waits for a new value once the stale limit has passed', async () => {
    const s = setup()
    await s.cache.get('k', s.compute('a'))
    s.advance(900_000)
    expect((await s.cache.get('k', s.compute('b'))).value).toBe('b#2')
  })

  it('shares one computation between concurrent callers and forgets a failure', async () => {
    const s = setup()
    let calls = 0
    const failing = async () => {
      calls++
      throw new Error('down')
    }
    const [a, b] = await Promise.allSettled([s.cache.get('k', failing), s.cache.get('k', failing)])
    expect(a.status).toBe('rejected')
    expect(b.status).toBe('rejected')
    expect(calls).toBe(1)
    await settle()
    expect((await s.cache.get('k', s.compute('ok'))).value).toBe('ok#1')
  })

  it('keeps the stale value when a background refresh fails, and tries again later', async () => {
    const s = setup()
    await s.cache.get('k', s.compute('a'))
    s.advance(120_000)
    let failures = 0
    const failing = async () => {
      failures++
      throw new Error('down')
    }
    expect((await s.cache.get('k', failing)).value).toBe('a#1')
    await settle()
    expect((await s.cache.get('k', failing)).value).toBe('a#1')
    await settle()
    expect(failures).toBe(2)
  })

  it('drops the least recently used key beyond its size', async () => {
    const s = setup()
    for (const key of ['a', 'b', 'c']) await s.cache.get(key, s.compute(key))
    await s.cache.get('a', s.compute('a'))
    await s.cache.get('d', s.compute('d'))
    expect(s.cache.size).toBe(3)
    // 'b' was the least recently used: computed again; 'a' was kept.
    expect((await s.cache.get('a', s.compute('x'))).value).toBe('a#1')
    expect((await s.cache.get('b', s.compute('b'))).value).toBe('b#5')
  })
})
