import { describe, expect, it } from 'vitest'
import {
  type RankEntry,
  calibrationDeviation,
  criterionContribution,
  detectDiscrepancy,
  divRoundHalfUp,
  finalScore,
  formatHundredths,
  mean,
  rankApplications,
  reviewTotal,
  reviewerZScores,
  trimmedMean,
} from './aggregate.ts'
import { DEFAULT_GRADING_CONFIG, type RubricCriterion } from './config.ts'

const rubric = DEFAULT_GRADING_CONFIG.rubric
const crit = (key: string, weight: number, maxPoints: number): RubricCriterion => ({
  key,
  label: key,
  weight,
  maxPoints,
  levels: [{ label: 'x', min: 0, max: maxPoints, descriptor: 'x' }],
})

describe('divRoundHalfUp', () => {
  it('rounds halves up and the rest to nearest', () => {
    expect(divRoundHalfUp(5n, 2n)).toBe(3n)
    expect(divRoundHalfUp(7n, 3n)).toBe(2n)
    expect(divRoundHalfUp(8n, 3n)).toBe(3n)
    expect(divRoundHalfUp(-5n, 2n)).toBe(-3n)
  })
})

describe('reviewTotal', () => {
  it('weights whole points onto a 100-point scale in hundredths', () => {
    // 8·25 + 8·25 + 7·20 + 8·15 + 8·15 = 200+200+140+120+120 = 780 ÷ 10 = 78.00
    expect(reviewTotal(rubric, { law: 8, skill: 8, record: 7, documents: 8, ethics: 8 })).toBe(7800)
    // 6·25 + 6·25 + 5·20 + 5·15 + 6·15 = 150+150+100+75+90 = 565 ÷ 10 = 56.50
    expect(reviewTotal(rubric, { law: 6, skill: 6, record: 5, documents: 5, ethics: 6 })).toBe(5650)
    expect(reviewTotal(rubric, { law: 10, skill: 10, record: 10, documents: 10, ethics: 10 })).toBe(10000)
    expect(reviewTotal(rubric, { law: 0, skill: 0, record: 0, documents: 0, ethics: 0 })).toBe(0)
  })

  it('rounds once, at the end of the sum', () => {
    const r = [crit('a', 1, 8), crit('b', 1, 8), crit('c', 98, 10)]
    // a and b each give 100/8 = 12.5 hundredths; rounding each would give 13 + 13 = 26, once gives 25.
    expect(reviewTotal(r, { a: 1, b: 1, c: 0 })).toBe(25)
    // 12.5 alone rounds half up to 13.
    expect(reviewTotal(r, { a: 1, b: 0, c: 0 })).toBe(13)
    // thirds: 1/3 of 100 points = 3333.33… → 3333; 2/3 → 6666.67 → 6667
    expect(reviewTotal([crit('t', 100, 3)], { t: 1 })).toBe(3333)
    expect(reviewTotal([crit('t', 100, 3)], { t: 2 })).toBe(6667)
  })

  it('refuses missing criteria', () => {
    expect(() => reviewTotal(rubric, { law: 1 })).toThrow()
  })
})

describe('mean, trimmed mean, final score', () => {
  it('means hundredths and rounds half up', () => {
    // (7800 + 5650 + 7000) / 3 = 20450 / 3 = 6816.67 → 6817
    expect(mean([7800, 5650, 7000])).toBe(6817)
    expect(mean([1, 2])).toBe(2) // 1.5 → 2
    expect(mean([1, 1, 2])).toBe(1) // 1.33 → 1
  })

  it('drops one highest and one lowest', () => {
    expect(trimmedMean([5000, 6000, 7000, 8000, 9900])).toBe(7000)
    // 6001 + 6002 + 6003 = 18006 / 3 = 6002
    expect(trimmedMean([9000, 6001, 6003, 6002, 1000])).toBe(6002)
    // Only one copy of a repeated extreme is dropped: [7000, 7000, 8000] → 22000 / 3 = 7333.33 → 7333.
    expect(trimmedMean([7000, 7000, 7000, 8000, 9000])).toBe(7333)
  })

  it('uses the plain mean below trimmedMeanFrom and the trimmed mean from it', () => {
    const config = { trimmedMeanFrom: 5 }
    // four scores: (6000 + 7000 + 8000 + 9999) / 4 = 30999 / 4 = 7749.75 → 7750
    expect(finalScore([6000, 7000, 8000, 9999], config)).toBe(7750)
    // five scores: drop 5000 and 9999 → (6000 + 7000 + 8000) / 3 = 7000
    expect(finalScore([6000, 7000, 8000, 9999, 5000], config)).toBe(7000)
  })
})

describe('detectDiscrepancy', () => {
  const config = { rubric, discrepancyOverall: 1500, discrepancyCriterion: 1000 }
  const pts = (law: number, rest = 7) => ({ law, skill: rest, record: rest, documents: rest, ethics: rest })

  it('is not discrepant at exactly the overall tolerance, and is one hundredth above', () => {
    const ok = detectDiscrepancy(
      [
        { total: 7000, points: pts(7) },
        { total: 8500, points: pts(7) },
      ],
      config,
    )
    expect(ok).toMatchObject({ discrepant: false, overallSpread: 1500, overall: false })
    const bad = detectDiscrepancy(
      [
        { total: 7000, points: pts(7) },
        { total: 8501, points: pts(7) },
        { total: 7600, points: pts(7) },
      ],
      config,
    )
    expect(bad).toMatchObject({ discrepant: true, overallSpread: 1501, overall: true, criteria: [] })
  })

  it('flags one criterion whose contributions spread beyond its tolerance', () => {
    // law weighs 25 on 10 points: 1 point = 250 hundredths; 4 points apart = 1000 (fine), 5 = 1250 (flag)
    expect(criterionContribution(rubric[0]!, 4)).toBe(1000)
    const fine = detectDiscrepancy(
      [
        { total: 7000, points: pts(4) },
        { total: 7000, points: pts(8) },
      ],
      config,
    )
    expect(fine.discrepant).toBe(false)
    const flagged = detectDiscrepancy(
      [
        { total: 7000, points: pts(4) },
        { total: 7000, points: pts(9) },
      ],
      config,
    )
    expect(flagged).toMatchObject({ discrepant: true, overall: false, criteria: [{ key: 'law', spread: 1250 }] })
  })

  it('needs two reviews to disagree', () => {
    expect(detectDiscrepancy([{ total: 1, points: pts(0) }], config).discrepant).toBe(false)
  })
})

describe('reviewerZScores', () => {
  it('standardises each reviewer on their own scores', () => {
    const { stats, z } = reviewerZScores([
      { reviewerUserId: 'r1', applicationId: 'a', total: 6000 },
      { reviewerUserId: 'r1', applicationId: 'b', total: 7000 },
      { reviewerUserId: 'r1', applicationId: 'c', total: 8000 },
      { reviewerUserId: 'r2', applicationId: 'a', total: 9000 },
      { reviewerUserId: 'r2', applicationId: 'b', total: 9000 },
      { reviewerUserId: 'r3', applicationId: 'a', total: 5000 },
    ])
    // r1: mean 7000; population sd = 1000·√(2/3) = 816.50 (816.497) → 816;
    // z(8000) = 1000 / 816.497 = 1.2247 → 122, z(6000) → −122, z(7000) = 0
    expect(stats).toEqual([
      { reviewerUserId: 'r1', count: 3, mean: 7000, sd: 816 },
      { reviewerUserId: 'r2', count: 2, mean: 9000, sd: 0 },
      { reviewerUserId: 'r3', count: 1, mean: 5000, sd: null },
    ])
    expect(z).toEqual([
      { reviewerUserId: 'r1', applicationId: 'a', z: -122 },
      { reviewerUserId: 'r1', applicationId: 'b', z: 0 },
      { reviewerUserId: 'r1', applicationId: 'c', z: 122 },
      { reviewerUserId: 'r2', applicationId: 'a', z: null },
      { reviewerUserId: 'r2', applicationId: 'b', z: null },
      { reviewerUserId: 'r3', applicationId: 'a', z: null },
    ])
  })

  it('gives z = ±1 for two different scores', () => {
    // n=2, S=13000, Q = 2·(36e6+49e6) − 169e6 = 1e6, √Q = 1000; z(7000) = (14000−13000)/1000 = 1.00
    const { z } = reviewerZScores([
      { reviewerUserId: 'r', applicationId: 'a', total: 6000 },
      { reviewerUserId: 'r', applicationId: 'b', total: 7000 },
    ])
    expect(z.map((x) => x.z)).toEqual([-100, 100])
  })
})

describe('rankApplications', () => {
  const e = (id: string, grade: string, score: number, extra: Partial<RankEntry> = {}): RankEntry => ({
    applicationId: id,
    gradeCode: grade,
    finalScore: score,
    firstCriterionMean: 700,
    disputesMediated: 100,
    submittedAt: '2026-03-01T00:00:00.000Z',
    blindCode: id,
    ...extra,
  })

  it('ranks per grade, applies the pass score and quotas', () => {
    const results = rankApplications(
      [e('a', '4', 8000), e('b', '4', 9000), e('c', '4', 5999), e('d', '4', 7000), e('x', '3', 6500), e('y', '3', 6000)],
      6000,
      { '4': 2 },
    )
    const byId = Object.fromEntries(results.map((r) => [r.applicationId, r]))
    expect(byId.b).toEqual({ applicationId: 'b', rank: 1, outcome: 'proposed' })
    expect(byId.a).toEqual({ applicationId: 'a', rank: 2, outcome: 'proposed' })
    expect(byId.d).toEqual({ applicationId: 'd', rank: 3, outcome: 'beyond_quota' })
    expect(byId.c).toEqual({ applicationId: 'c', rank: 4, outcome: 'below_pass_score' })
    // grade 3 has no quota; exactly the pass score passes
    expect(byId.x).toEqual({ applicationId: 'x', rank: 1, outcome: 'proposed' })
    expect(byId.y).toEqual({ applicationId: 'y', rank: 2, outcome: 'proposed' })
  })

  it('breaks ties by first criterion, then disputes, then earlier submission, then blind code', () => {
    const order = (entries: RankEntry[]) =>
      rankApplications(entries, 0, {})
        .sort((a, b) => a.rank - b.rank)
        .map((r) => r.applicationId)
    expect(order([e('a', '4', 8000, { firstCriterionMean: 700 }), e('b', '4', 8000, { firstCriterionMean: 750 })])).toEqual(['b', 'a'])
    expect(order([e('a', '4', 8000, { disputesMediated: 90 }), e('b', '4', 8000, { disputesMediated: 91 })])).toEqual(['b', 'a'])
    expect(
      order([
        e('a', '4', 8000, { submittedAt: '2026-03-02T00:00:00.000Z' }),
        e('b', '4', 8000, { submittedAt: '2026-03-01T09:00:00.000Z' }),
      ]),
    ).toEqual(['b', 'a'])
    expect(order([e('G-2', '4', 8000), e('G-1', '4', 8000)])).toEqual(['G-1', 'G-2'])
  })

  it('gives the last quota place to the tie winner', () => {
    const results = rankApplications(
      [e('a', '4', 8000, { firstCriterionMean: 600 }), e('b', '4', 8000, { firstCriterionMean: 800 })],
      6000,
      { '4': 1 },
    )
    expect(results.find((r) => r.applicationId === 'b')?.outcome).toBe('proposed')
    expect(results.find((r) => r.applicationId === 'a')?.outcome).toBe('beyond_quota')
  })

  it('a quota of zero proposes nobody', () => {
    expect(rankApplications([e('a', '4', 9000)], 6000, { '4': 0 })[0]?.outcome).toBe('beyond_quota')
  })
})

describe('calibrationDeviation and formatting', () => {
  it('measures the distance from the reference total', () => {
    // reference sample A = 7800; scoring law 10, rest as reference → 7800 + 2·250 = 8300
    const reference = DEFAULT_GRADING_CONFIG.calibrationSamples[0]!.reference
    expect(calibrationDeviation(rubric, { ...reference, law: 10 }, reference)).toEqual({
      total: 8300,
      referenceTotal: 7800,
      deviation: 500,
    })
  })

  it('formats hundredths', () => {
    expect(formatHundredths(7525)).toBe('75.25')
    expect(formatHundredths(5)).toBe('0.05')
    expect(formatHundredths(-122)).toBe('-1.22')
  })
})
