/**
 * A bounded in-process cache that answers from a stale value while it computes the next one
 * (stale-while-revalidate). Meant for figures that are expensive to compute and move slowly
 * (statistics over months of records): within `freshMs` a value is served as is; until `staleMs`
 * it is still served at once while one refresh runs in the background; after that the caller
 * waits for a new computation. Callers learn when their value was computed (`at`), so a page can
 * say how old its figures are.
 *
 * Per process on purpose: each app server keeps its own copy, nothing to invalidate across
 * servers, and the worst case after a change is `staleMs` plus one computation.
 */
export interface CachedValue<V> {
  value: V
  /** When the value was computed (ms since the epoch, from the cache's clock). */
  at: number
}

interface Entry<V> {
  at: number
  value: Promise<CachedValue<V>>
  refreshing: boolean
}

export interface SwrCacheOptions {
  freshMs: number
  staleMs: number
  /** Entries kept; the least recently used goes first. */
  max: number
  /** The clock (tests pass their own). */
  now?: () => number
}

export class SwrCache<V> {
  readonly #entries = new Map<string, Entry<V>>()
  readonly #options: Required<SwrCacheOptions>

  constructor(options: SwrCacheOptions) {
    this.#options = { now: Date.now, ...options }
  }

  get size(): number {
    return this.#entries.size
  }

  /**
   * The cached value of `key`, or `compute()`'s. Concurrent callers of a key being computed share
   * one computation; a failed computation is not kept (the next caller tries again), and a failed
   * background refresh leaves the stale value in place until it expires. `now` is the caller's
   * clock when it has one (a request's time).
   */
  get(key: string, compute: () => Promise<V>, now = this.#options.now()): Promise<CachedValue<V>> {
    const hit = this.#entries.get(key)
    if (hit) {
      const age = now - hit.at
      if (age < this.#options.staleMs) {
        // Least recently used goes first: a hit moves the key to the end.
        this.#entries.delete(key)
        this.#entries.set(key, hit)
        if (age >= this.#options.freshMs && !hit.refreshing) this.#refresh(key, hit, compute, now)
        return hit.value
      }
      this.#entries.delete(key)
    }
    const entry: Entry<V> = { at: now, value: this.#run(compute, now), refreshing: false }
    this.#store(key, entry)
    entry.value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key)
    })
    return entry.value
  }

  #run(compute: () => Promise<V>, at: number): Promise<CachedValue<V>> {
    return compute().then((value) => ({ value, at }))
  }

  #refresh(key: string, stale: Entry<V>, compute: () => Promise<V>, at: number): void {
    stale.refreshing = true
    this.#run(compute, at).then(
      (fresh) => {
        // Replaced only if nobody dropped or recomputed the key meanwhile.
        if (this.#entries.get(key) === stale) this.#store(key, { at, value: Promise.resolve(fresh), refreshing: false })
      },
      () => {
        stale.refreshing = false
      },
    )
  }

  /** Forgets every value (tests that change data between two reads). */
  clear(): void {
    this.#entries.clear()
  }

  #store(key: string, entry: Entry<V>): void {
    this.#entries.delete(key)
    this.#entries.set(key, entry)
    while (this.#entries.size > this.#options.max) this.#entries.delete(this.#entries.keys().next().value!)
  }
}
