/**
 * Pure statistics helpers for the statistics pages: quantiles, buckets, rates, region roll-ups
 * and item analysis. SQL does the counting (group by); these shape what comes back. No I/O.
 */

/**
 * The q-quantile (0 ≤ q ≤ 1) of the values by linear interpolation between closest ranks (the
 * method of Excel's PERCENTILE.INC and R's type 7), so a reader can check a figure by hand in the
 * exported sheet. Null for no values.
 */
export function quantile(values: readonly number[], q: number): number | null {
  if (!values.length) return null
  const sorted = [...values].sort((a, b) => a - b)
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q))
  const lower = Math.floor(position)
  const upper = Math.ceil(position)
  const low = sorted[lower]!
  return low + (sorted[upper]! - low) * (position - lower)
}

export const median = (values: readonly number[]): number | null => quantile(values, 0.5)

/** Share in percent with one decimal; null when there is nothing to divide by. */
export function percent(part: number, whole: number): number | null {
  if (!whole) return null
  return Math.round((part / whole) * 1000) / 10
}

/** Rounds to one decimal (display and export precision of every derived figure). */
export function round1(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10
}

/** Whole days (fractional, one decimal) between two ISO instants; null when either is missing or the end precedes the start. */
export function daysBetween(start: string | null, end: string | null): number | null {
  if (!start || !end) return null
  const ms = Date.parse(end) - Date.parse(start)
  if (!Number.isFinite(ms) || ms < 0) return null
  return ms / 86_400_000
}

export interface Bucket {
  /** Inclusive lower edge. */
  from: number
  /** Exclusive upper edge; null for the last, open bucket. */
  to: number | null
  count: number
}

/**
 * Counts (value, count) pairs into buckets with the given ascending lower edges: bucket i holds
 * edges[i] ≤ v < edges[i+1], the last one everything from its edge up. Values below the first
 * edge go to the first bucket.
 */
export function bucketCounts(pairs: readonly { value: number; count: number }[], edges: readonly number[]): Bucket[] {
  const buckets: Bucket[] = edges.map((from, i) => ({ from, to: edges[i + 1] ?? null, count: 0 }))
  for (const { value, count } of pairs) {
    let index = 0
    for (let i = 0; i < edges.length; i++) if (value >= edges[i]!) index = i
    buckets[index]!.count += count
  }
  return buckets
}

/** 0–9, 10–19, …, 90–100: the score bands of drill results (percent scores, 100 joins the last band). */
export const SCORE_EDGES = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90] as const

export function bucketLabel(bucket: Bucket, lastUpper?: number): string {
  if (bucket.to === null) return lastUpper === undefined ? `≥${bucket.from}` : `${bucket.from}–${lastUpper}`
  return bucket.to - 1 === bucket.from ? String(bucket.from) : `${bucket.from}–${bucket.to - 1}`
}

/** The region code at the next level below `rootPath` on `path`, or null when `path` is not below it. */
export function childBelow(path: string, rootPath: string): string | null {
  if (!path.startsWith(rootPath) || path === rootPath) return null
  return path.slice(rootPath.length).split('/')[0] || null
}

/**
 * Rolls per-region figures up to the children of a root region (the districts of a city, the
 * cities of a province). When everything falls under one child, descends into it, so a Beijing
 * user sees districts rather than one bar for 北京市. Rows exactly at the root are kept under the
 * root's own code. Returns the root path used and the sums per child code.
 */
export function rollUpRegions(
  rows: readonly { path: string; values: readonly number[] }[],
  rootPath: string,
  width: number,
): { rootPath: string; groups: Map<string, number[]> } {
  let root = rootPath
  for (;;) {
    const groups = new Map<string, number[]>()
    for (const row of rows) {
      if (!row.path.startsWith(root)) continue
      const key = childBelow(row.path, root) ?? root.split('/').filter(Boolean).at(-1) ?? ''
      const sums = groups.get(key) ?? Array.from({ length: width }, () => 0)
      row.values.forEach((v, i) => {
        sums[i] = sums[i]! + v
      })
      groups.set(key, sums)
    }
    const [only] = groups.keys()
    const deeper = groups.size === 1 && only && rows.some((r) => r.path.startsWith(`${root}${only}/`) && r.path !== `${root}${only}/`)
    if (!deeper) return { rootPath: root, groups }
    root = `${root}${only}/`
  }
}

export interface ItemAnalysis {
  item: string
  /** Answers counted. */
  n: number
  /** Difficulty index p: the share answering correctly, 0–1 (higher is easier). */
  difficulty: number
  /**
   * Discrimination index D = p(upper group) − p(lower group), the groups being the top and bottom
   * 27 % of attempts by total score (Kelley); −1 to 1, ≥ 0.3 discriminates well. Null with fewer
   * than 4 attempts, too few to form groups.
   */
  discrimination: number | null
}

/**
 * Classical item analysis over quiz attempts, each its per-item correctness (what drill_attempts
 * stores in result.correct) and its score. Items are reported in first-seen order.
 */
export function analyseItems(attempts: readonly { score: number; correct: Readonly<Record<string, boolean>> }[]): ItemAnalysis[] {
  const items: string[] = []
  for (const a of attempts) for (const id of Object.keys(a.correct)) if (!items.includes(id)) items.push(id)
  const ranked = [...attempts].sort((a, b) => b.score - a.score)
  const groupSize = ranked.length >= 4 ? Math.max(1, Math.round(ranked.length * 0.27)) : 0
  const upper = ranked.slice(0, groupSize)
  const lower = groupSize ? ranked.slice(-groupSize) : []
  const share = (group: typeof attempts, item: string): number | null => {
    const answered = group.filter((a) => item in a.correct)
    return answered.length ? answered.filter((a) => a.correct[item]).length / answered.length : null
  }
  return items.map((item) => {
    const answered = attempts.filter((a) => item in a.correct)
    const p = answered.filter((a) => a.correct[item]).length / answered.length
    const up = groupSize ? share(upper, item) : null
    const low = groupSize ? share(lower, item) : null
    return {
      item,
      n: answered.length,
      difficulty: Math.round(p * 100) / 100,
      discrimination: up === null || low === null ? null : Math.round((up - low) * 100) / 100,
    }
  })
}
