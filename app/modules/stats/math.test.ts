import { describe, expect, it } from 'vitest'
import {
  SCORE_EDGES,
  analyseItems,
  bucketCounts,
  bucketLabel,
  childBelow,
  daysBetween,
  median,
  percent,
  quantile,
  rollUpRegions,
} from './math.ts'

describe('quantiles (linear interpolation, as Excel PERCENTILE.INC)', () => {
  it('computes medians and p90 by hand', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([5, 1, 3])).toBe(3)
    // (5 − 1) × 0.9 = 3.6 → 40 + 0.6 × (50 − 40)
    expect(quantile([50, 10, 40, 30, 20], 0.9)).toBeCloseTo(46)
    // (4 − 1) × 0.9 = 2.7 → 3 + 0.7 × (4 − 3)
    expect(quantile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7)
    expect(quantile([7], 0.9)).toBe(7)
    expect(quantile([], 0.5)).toBeNull()
  })
})

describe('rates and days', () => {
  it('gives percent with one decimal and null for an empty whole', () => {
    expect(percent(1, 3)).toBe(33.3)
    expect(percent(2, 3)).toBe(66.7)
    expect(percent(0, 0)).toBeNull()
  })
  it('measures days between instants, refusing reversed or missing ends', () => {
    expect(daysBetween('2026-03-01T00:00:00.000Z', '2026-03-03T12:00:00.000Z')).toBe(2.5)
    expect(daysBetween('2026-03-03T00:00:00.000Z', '2026-03-01T00:00:00.000Z')).toBeNull()
    expect(daysBetween(null, '2026-03-01T00:00:00.000Z')).toBeNull()
  })
})

describe('buckets', () => {
  it('counts scores into ten-point bands, 100 in the last', () => {
    const buckets = bucketCounts(
      [
        { value: 0, count: 1 },
        { value: 9, count: 2 },
        { value: 10, count: 3 },
        { value: 95, count: 1 },
        { value: 100, count: 4 },
      ],
      SCORE_EDGES,
    )
    expect(buckets.map((b) => b.count)).toEqual([3, 3, 0, 0, 0, 0, 0, 0, 0, 5])
    expect(bucketLabel(buckets[0]!)).toBe('0–9')
    expect(bucketLabel(buckets[9]!, 100)).toBe('90–100')
    expect(bucketLabel({ from: 4, to: null, count: 0 })).toBe('≥4')
    expect(bucketLabel({ from: 1, to: 2, count: 0 })).toBe('1')
  })
})

describe('region roll-up', () => {
  const rows = [
    { path: '/110000/110108/', values: [2, 1] },
    { path: '/110000/110105/', values: [3, 0] },
    { path: '/110000/110108/110108001/', values: [1, 1] },
  ]
  it('descends past a single child to the districts', () => {
    const { rootPath, groups } = rollUpRegions(rows, '/', 2)
    expect(rootPath).toBe('/110000/')
    expect(Object.fromEntries(groups)).toEqual({ '110108': [3, 2], '110105': [3, 0] })
  })
  it('rolls up below a district to its townships, keeping the district’s own rows under its code', () => {
    const { groups } = rollUpRegions(rows, '/110000/110108/', 2)
    expect(Object.fromEntries(groups)).toEqual({ '110108': [2, 1], '110108001': [1, 1] })
    expect(childBelow('/110000/110108/', '/110000/')).toBe('110108')
    expect(childBelow('/110000/', '/110000/')).toBeNull()
  })
})

describe('item analysis', () => {
  it('gives difficulty p and discrimination D (top and bottom 27 %) by hand', () => {
    const items = analyseItems([
      { score: 100, correct: { q1: true, q2: true } },
      { score: 50, correct: { q1: true, q2: false } },
      { score: 50, correct: { q1: false, q2: true } },
      { score: 0, correct: { q1: false, q2: true } },
    ])
    // 4 attempts → groups of round(4 × 0.27) = 1: the 100 and the 0.
    expect(items).toEqual([
      { item: 'q1', n: 4, difficulty: 0.5, discrimination: 1 },
      { item: 'q2', n: 4, difficulty: 0.75, discrimination: 0 },
    ])
  })
  it('leaves discrimination empty with too few attempts', () => {
    expect(analyseItems([{ score: 1, correct: { a: true } }])).toEqual([{ item: 'a', n: 1, difficulty: 1, discrimination: null }])
  })
})
