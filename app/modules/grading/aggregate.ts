/**
 * Grading arithmetic (pure), as decided in docs/decisions/016-grading-arithmetic.md and stated in
 * the header of config.ts: whole points per criterion; every score from there on is an integer
 * number of hundredths of a point on a 100-point scale; each derived number is rounded half up
 * once, at the end of its own computation (never an intermediate float).
 *
 * Stored criterion points (grading_assignments.scores, grading_calibrations.scores) are whole
 * points × 100 (hundredths), so 8 points is stored as 800.
 */
import type { GradingConfig, RubricCriterion } from './config.ts'

/** Round num/den half up to an integer (den > 0, num ≥ 0 in every use; negatives round half away from zero). */
export function divRoundHalfUp(num: bigint, den: bigint): bigint {
  if (den <= 0n) throw new Error('denominator must be positive')
  const negative = num < 0n
  const abs = negative ? -num : num
  const q = (2n * abs + den) / (2n * den)
  return negative ? -q : q
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a
  let y = b
  while (y !== 0n) [x, y] = [y, x % y]
  return x
}

/** Whole points given per criterion (not hundredths). */
export type CriterionPoints = Record<string, number>

/**
 * A review's total: Σ points × weight ÷ maxPoints, on a 100-point scale, in hundredths, rounded
 * half up once. Exact: the sum is kept as a fraction over the lcm of the maxPoints (BigInt).
 */
export function reviewTotal(rubric: readonly RubricCriterion[], points: CriterionPoints): number {
  let den = 1n
  for (const c of rubric) den = (den * BigInt(c.maxPoints)) / gcd(den, BigInt(c.maxPoints))
  let num = 0n
  for (const c of rubric) {
    const p = points[c.key]
    if (p === undefined) throw new Error(`missing points for ${c.key}`)
    // points × weight × 100 (hundredths) ÷ maxPoints, put over the common denominator.
    num += BigInt(p) * BigInt(c.weight) * 100n * (den / BigInt(c.maxPoints))
  }
  return Number(divRoundHalfUp(num, den))
}

/** One criterion's contribution to the 100-point total, in hundredths (for per-criterion discrepancy). */
export function criterionContribution(criterion: RubricCriterion, points: number): number {
  return Number(divRoundHalfUp(BigInt(points) * BigInt(criterion.weight) * 100n, BigInt(criterion.maxPoints)))
}

/** Mean of integer hundredths, rounded half up to a whole hundredth. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new Error('mean of nothing')
  const sum = values.reduce((s, v) => s + BigInt(v), 0n)
  return Number(divRoundHalfUp(sum, BigInt(values.length)))
}

/** Mean after dropping one highest and one lowest value. */
export function trimmedMean(values: readonly number[]): number {
  if (values.length < 3) throw new Error('trimmed mean needs at least three values')
  const sorted = [...values].sort((a, b) => a - b)
  return mean(sorted.slice(1, -1))
}

/** The final score: the mean, or the trimmed mean with `trimmedMeanFrom` totals or more. */
export function finalScore(totals: readonly number[], config: Pick<GradingConfig, 'trimmedMeanFrom'>): number {
  return totals.length >= config.trimmedMeanFrom ? trimmedMean(totals) : mean(totals)
}

export interface ReviewForDiscrepancy {
  total: number
  /** Whole points per criterion key. */
  points: CriterionPoints
}

export interface Discrepancy {
  discrepant: boolean
  /** max − min of the totals, hundredths. */
  overallSpread: number
  overall: boolean
  /** Criteria whose contributions spread more than the tolerance, with their spread. */
  criteria: { key: string; spread: number }[]
}

/**
 * Reviewers disagree when max − min of the totals is above `discrepancyOverall`, or when on one
 * criterion max − min of the contributions (hundredths of the 100-point scale) is above
 * `discrepancyCriterion`. "Above" is strict: a spread equal to the tolerance is fine.
 */
export function detectDiscrepancy(
  reviews: readonly ReviewForDiscrepancy[],
  config: Pick<GradingConfig, 'rubric' | 'discrepancyOverall' | 'discrepancyCriterion'>,
): Discrepancy {
  if (reviews.length < 2) return { discrepant: false, overallSpread: 0, overall: false, criteria: [] }
  const totals = reviews.map((r) => r.total)
  const overallSpread = Math.max(...totals) - Math.min(...totals)
  const overall = overallSpread > config.discrepancyOverall
  const criteria: { key: string; spread: number }[] = []
  for (const c of config.rubric) {
    const values = reviews.map((r) => criterionContribution(c, r.points[c.key] ?? 0))
    const spread = Math.max(...values) - Math.min(...values)
    if (spread > config.discrepancyCriterion) criteria.push({ key: c.key, spread })
  }
  return { discrepant: overall || criteria.length > 0, overallSpread, overall, criteria }
}

export interface ReviewerScore {
  reviewerUserId: string
  applicationId: string
  total: number
}

export interface ReviewerStats {
  reviewerUserId: string
  count: number
  /** Mean total, hundredths. */
  mean: number
  /** Population standard deviation, hundredths (rounded half up); null with fewer than two scores. */
  sd: number | null
}

export interface ZScore {
  reviewerUserId: string
  applicationId: string
  /** z × 100, rounded half up; null when the reviewer's scores do not vary (or fewer than two). */
  z: number | null
}

/**
 * Per-reviewer z-scores (advisory only; never used for the final score): how far a total lies
 * from that reviewer's own mean, in that reviewer's standard deviations. With the reviewer's n
 * totals x, S = Σx and Q = nΣx² − S²: z = (n·x − S) ÷ √Q. Everything but the one square root is
 * integer; the result is shown in hundredths.
 */
export function reviewerZScores(scores: readonly ReviewerScore[]): { stats: ReviewerStats[]; z: ZScore[] } {
  const byReviewer = new Map<string, ReviewerScore[]>()
  for (const s of scores) byReviewer.set(s.reviewerUserId, [...(byReviewer.get(s.reviewerUserId) ?? []), s])
  const stats: ReviewerStats[] = []
  const z: ZScore[] = []
  for (const [reviewerUserId, list] of [...byReviewer.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const n = BigInt(list.length)
    const sum = list.reduce((acc, s) => acc + BigInt(s.total), 0n)
    const sumSq = list.reduce((acc, s) => acc + BigInt(s.total) * BigInt(s.total), 0n)
    const q = n * sumSq - sum * sum
    const sqrtQ = Math.sqrt(Number(q))
    stats.push({
      reviewerUserId,
      count: list.length,
      mean: Number(divRoundHalfUp(sum, n)),
      sd: list.length < 2 ? null : Math.round(sqrtQ / list.length),
    })
    for (const s of list) {
      const dev = Number(n * BigInt(s.total) - sum)
      z.push({
        reviewerUserId,
        applicationId: s.applicationId,
        z: list.length < 2 || q === 0n ? null : roundHalfUpNumber((100 * dev) / sqrtQ),
      })
    }
  }
  return { stats, z }
}

function roundHalfUpNumber(x: number): number {
  // Half away from zero, symmetric for negative z; the tiny epsilon absorbs binary noise at .5.
  const sign = x < 0 ? -1 : 1
  return sign * Math.floor(Math.abs(x) + 0.5 + 1e-9)
}

export interface RankEntry {
  applicationId: string
  gradeCode: string
  finalScore: number
  /** Mean of the first rubric criterion's points (hundredths) over the counted reviews. */
  firstCriterionMean: number
  /** Disputes mediated from the application's evidence snapshot (0 when unknown). */
  disputesMediated: number
  submittedAt: string
  blindCode: string
}

export type RankOutcome = 'proposed' | 'below_pass_score' | 'beyond_quota'

export interface RankResult {
  applicationId: string
  rank: number
  outcome: RankOutcome
}

/**
 * The tie rule (ADR 016): higher final score; then higher mean on the first rubric criterion;
 * then more disputes mediated; then earlier submission; finally the blind code, so the order is
 * total and the same on every run.
 */
export function compareForRanking(a: RankEntry, b: RankEntry): number {
  return (
    b.finalScore - a.finalScore ||
    b.firstCriterionMean - a.firstCriterionMean ||
    b.disputesMediated - a.disputesMediated ||
    (a.submittedAt < b.submittedAt ? -1 : a.submittedAt > b.submittedAt ? 1 : 0) ||
    (a.blindCode < b.blindCode ? -1 : a.blindCode > b.blindCode ? 1 : 0)
  )
}

/**
 * Ranks each grade separately. Within a grade, in ranking order: below the pass score → not
 * awarded; otherwise proposed while the grade's quota (if any) lasts, beyond it → not awarded.
 */
export function rankApplications(entries: readonly RankEntry[], passScore: number, quotas: Record<string, number>): RankResult[] {
  const byGrade = new Map<string, RankEntry[]>()
  for (const e of entries) byGrade.set(e.gradeCode, [...(byGrade.get(e.gradeCode) ?? []), e])
  const results: RankResult[] = []
  for (const [grade, list] of byGrade) {
    const quota = quotas[grade]
    let proposed = 0
    for (const [i, e] of [...list].sort(compareForRanking).entries()) {
      let outcome: RankOutcome
      if (e.finalScore < passScore) outcome = 'below_pass_score'
      else if (quota !== undefined && proposed >= quota) outcome = 'beyond_quota'
      else {
        outcome = 'proposed'
        proposed += 1
      }
      results.push({ applicationId: e.applicationId, rank: i + 1, outcome })
    }
  }
  return results
}

/** Deviation of a calibration scoring from the reference: |total − reference total|, hundredths. */
export function calibrationDeviation(rubric: readonly RubricCriterion[], points: CriterionPoints, reference: CriterionPoints) {
  const total = reviewTotal(rubric, points)
  const referenceTotal = reviewTotal(rubric, reference)
  return { total, referenceTotal, deviation: Math.abs(total - referenceTotal) }
}

/** Format hundredths as a fixed two-decimal string (e.g. 7525 → "75.25"); for display only. */
export function formatHundredths(value: number): string {
  const sign = value < 0 ? '-' : ''
  const abs = Math.abs(value)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}
