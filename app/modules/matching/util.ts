/**
 * Small helpers of the matching core: calendar days, region paths, organisation names, tiers.
 * Written for the hot loops (50,000 experts per call): no regular expressions or Date objects
 * where a character scan does.
 */
import { type ExpertTier, MATCH_TIERS } from './types.ts'

/** Days since 1970-01-01 of a `YYYY-MM-DD` date (NaN when malformed). */
export function dayNumber(date: string): number {
  const y = Number(date.slice(0, 4))
  const m = Number(date.slice(5, 7))
  const d = Number(date.slice(8, 10))
  return Date.UTC(y, m - 1, d) / 86_400_000
}

/** 0 for national (highest), 3 for district. */
export function tierRank(tier: ExpertTier): number {
  switch (tier) {
    case 'national':
      return 0
    case 'provincial':
      return 1
    case 'municipal':
      return 2
    case 'district':
      return 3
  }
}

export function tierAtLeast(tier: ExpertTier, min: ExpertTier): boolean {
  return tierRank(tier) <= tierRank(min)
}

export { MATCH_TIERS }

/** Number of regions on a materialised path: `/110000/110108/` → 2; null (national) → 0. */
export function pathDepth(path: string | null | undefined): number {
  if (!path) return 0
  let n = 0
  for (let i = 1; i < path.length; i++) if (path.charCodeAt(i) === 47) n++
  return n
}

/** How many leading regions two paths share: `/11/1101/110108/` and `/11/1102/` → 1. */
export function commonDepth(a: string, b: string): number {
  const len = Math.min(a.length, b.length)
  let depth = 0
  for (let i = 1; i < len; i++) {
    const ch = a.charCodeAt(i)
    if (ch !== b.charCodeAt(i)) break
    if (ch === 47) depth++
  }
  return depth
}

/** The path itself and every ancestor path, root first: `/11/1101/` → ['/11/', '/11/1101/']. */
export function ancestorPaths(path: string): string[] {
  const out: string[] = []
  for (let i = 1; i < path.length; i++) if (path.charCodeAt(i) === 47) out.push(path.slice(0, i + 1))
  return out
}

/**
 * Organisation names as typed by different people must compare equal: full-width and half-width
 * forms (NFKC: （ → (), spaces and punctuation, letter case. "北京市 第一医院（总院）" and
 * "北京市第一医院(总院)" are the same party. Suffixes such as 有限公司 vs 有限责任公司 are kept:
 * those can be different legal persons, and a false conflict is cheaper than a missed one only
 * when staff see it, so the id match stays the primary test.
 */
export function normaliseOrgName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '')
}

const NAME_CACHE_LIMIT = 200_000
const nameCache = new Map<string, string>()

/** normaliseOrgName memoised: employer names repeat across thousands of experts and calls. */
export function normalisedOrgName(name: string): string {
  let key = nameCache.get(name)
  if (key === undefined) {
    key = normaliseOrgName(name)
    if (nameCache.size >= NAME_CACHE_LIMIT) nameCache.clear()
    nameCache.set(name, key)
  }
  return key
}

/** A message reference (`key?param=value`, as app/lib/i18n.ts translateRef reads it). */
export function messageRef(key: string, params?: Record<string, string | number | null | undefined>): string {
  if (!params) return key
  const entries = Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== null)
  if (!entries.length) return key
  return `${key}?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`
}
