/**
 * The score of an eligible expert for a case: a configurable weighted sum of components, each in
 * [0, 1], so staff can read every part ("why this expert?") and municipal staff can re-weigh them.
 *
 * | component | what it rewards |
 * |---|---|
 * | domain    | primary domain 1, secondary ~0.6, "handled best" bonus, parent category half credit |
 * | tier      | the tier × difficulty table (national experts are scarce: gentle penalty on ordinary cases) |
 * | proximity | same district / city / province, by the region paths |
 * | rating    | Bayesian average (C·m + sum)/(C + count): one rating cannot dominate |
 * | load      | 1 − active/capacity |
 * | rotation  | days since the last assignment / horizon, capped: long-idle experts rise |
 *
 * Batch assignment works in integer "score units" (SCORE_UNITS per 1.0) so its optimum is exact
 * and reproducible (see docs/decisions/014-batch-assignment.md).
 */
import { type CaseContext, caseContext } from './constraints.ts'
import {
  type ExpertScore,
  type MatchCase,
  type MatchConfig,
  type MatchExpert,
  type ScoreComponent,
  type ScoreComponents,
  DEFAULT_MATCH_CONFIG,
  SCORE_COMPONENTS,
} from './types.ts'
import { commonDepth, dayNumber, messageRef, pathDepth } from './util.ts'

/** Resolution of the batch objective: 1.0 of score = 1,000,000 units. */
export const SCORE_UNITS = 1_000_000

/** Case context plus what scoring needs: normalised weights, the case depth, "today". */
export interface ScoreContext extends CaseContext {
  readonly caseDepth: number
  readonly asOfDay: number
  /** Weights divided by their sum, in SCORE_COMPONENTS order. */
  readonly weights: Float64Array
}

export function scoreContext(
  kase: MatchCase,
  config: MatchConfig = DEFAULT_MATCH_CONFIG,
  asOf: string = kase.periodStart,
  base?: CaseContext,
): ScoreContext {
  const ctx = base ?? caseContext(kase, config)
  const weights = new Float64Array(SCORE_COMPONENTS.map((c) => Math.max(0, config.weights[c])))
  const sum = weights.reduce((a, b) => a + b, 0)
  for (let i = 0; i < weights.length; i++) weights[i] = sum > 0 ? weights[i]! / sum : 0
  return { ...ctx, caseDepth: pathDepth(kase.regionPath), asOfDay: dayNumber(asOf), weights }
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v)

// ---------------------------------------------------------------------------------------------
// Components

export function domainFit(expert: MatchExpert, ctx: CaseContext): number {
  const cfg = ctx.config.domain
  let best = 0
  let specialtyHit = false
  const domains = expert.domains
  for (let i = 0; i < domains.length; i++) {
    const d = domains[i]!
    const role = d.role === 'primary' ? cfg.primary : d.role === 'secondary' ? cfg.secondary : cfg.specialty
    let value: number
    if (ctx.topics.has(d.disputeType)) {
      value = role
      if (d.role === 'specialty') specialtyHit = true
    } else if ((d.parentCategory ?? d.disputeType) === ctx.category) {
      value = role * cfg.parentCategoryFactor
    } else {
      continue
    }
    if (value > best) best = value
  }
  return clamp01(best + (specialtyHit ? cfg.specialtyBonus : 0))
}

export function tierFit(expert: MatchExpert, ctx: CaseContext): number {
  return clamp01(ctx.config.tierFit[ctx.kase.difficulty][expert.tier])
}

/**
 * How close the expert is: where they work if known, else their appointing region. The closest
 * common region is `levelsUp` levels above the case region (0: the same district; 1: the same
 * city, or for a 直辖市 district the municipality itself; 2: the same province).
 */
export function proximity(expert: MatchExpert, ctx: ScoreContext): number {
  const cfg = ctx.config.proximity
  const where = expert.workRegionPath ?? expert.regionPath
  if (!where) return clamp01(cfg.national)
  const common = commonDepth(where, ctx.kase.regionPath)
  if (common === 0) return clamp01(cfg.unrelated)
  const table = cfg.byLevelsUp
  if (!table.length) return 0
  const up = ctx.caseDepth - common
  return clamp01(table[up < table.length ? up : table.length - 1]!)
}

/** Bayesian average of the 1-5 ratings, mapped to [0, 1]: a new expert starts at the prior mean. */
export function ratingScore(expert: MatchExpert, config: MatchConfig): number {
  const r = config.rating
  const avg = bayesianRating(expert, config)
  const span = r.scaleMax - r.scaleMin
  return span > 0 ? clamp01((avg - r.scaleMin) / span) : 0
}

export function bayesianRating(expert: MatchExpert, config: MatchConfig): number {
  const r = config.rating
  const weight = r.priorWeight + expert.ratings.count
  return weight > 0 ? (r.priorWeight * r.priorMean + expert.ratings.sum) / weight : r.priorMean
}

export function loadScore(expert: MatchExpert): number {
  return expert.maxConcurrentCases > 0 ? clamp01(1 - expert.activeCases / expert.maxConcurrentCases) : 0
}

export function idleDays(expert: MatchExpert, asOfDay: number): number | null {
  return expert.lastAssignedOn === null ? null : asOfDay - dayNumber(expert.lastAssignedOn)
}

export function rotationScore(expert: MatchExpert, ctx: ScoreContext): number {
  const cfg = ctx.config.rotation
  const days = idleDays(expert, ctx.asOfDay)
  if (days === null) return clamp01(cfg.neverAssigned)
  return cfg.horizonDays > 0 ? clamp01(days / cfg.horizonDays) : 1
}

// ---------------------------------------------------------------------------------------------
// Totals

/**
 * Writes the components into `out` (SCORE_COMPONENTS order) and returns the total. No allocation.
 * The total is summed as (case-dependent part) + (expert's own part), always in this order, so
 * the batch can cache the second part per expert and still get bit-identical totals.
 */
export function scoreInto(expert: MatchExpert, ctx: ScoreContext, out: Float64Array): number {
  out[0] = domainFit(expert, ctx)
  out[1] = tierFit(expert, ctx)
  out[2] = proximity(expert, ctx)
  out[3] = ratingScore(expert, ctx.config)
  out[4] = loadScore(expert)
  out[5] = rotationScore(expert, ctx)
  const w = ctx.weights
  const caseDependent = w[0]! * out[0]! + w[1]! * out[1]! + w[2]! * out[2]!
  const own = w[3]! * out[3]! + w[4]! * out[4]! + w[5]! * out[5]!
  return caseDependent + own
}

/** Weighted rating + load + rotation: the same for every case on a given day under one config. */
export function ownScorePart(expert: MatchExpert, ctx: ScoreContext): number {
  const w = ctx.weights
  return w[3]! * ratingScore(expert, ctx.config) + w[4]! * loadScore(expert) + w[5]! * rotationScore(expert, ctx)
}

/** Weighted domain + tier + proximity; `caseDependentPart + ownScorePart` equals scoreTotal exactly. */
export function caseDependentPart(expert: MatchExpert, ctx: ScoreContext): number {
  const w = ctx.weights
  return w[0]! * domainFit(expert, ctx) + w[1]! * tierFit(expert, ctx) + w[2]! * proximity(expert, ctx)
}

const scratch = new Float64Array(SCORE_COMPONENTS.length)

/** Total only, for hot loops. */
export function scoreTotal(expert: MatchExpert, ctx: ScoreContext): number {
  return scoreInto(expert, ctx, scratch)
}

export function componentsOf(values: Float64Array): ScoreComponents {
  const out = {} as ScoreComponents
  SCORE_COMPONENTS.forEach((c, i) => {
    out[c] = values[i]!
  })
  return out
}

export function scoreExpert(expert: MatchExpert, ctx: ScoreContext): ExpertScore {
  const values = new Float64Array(SCORE_COMPONENTS.length)
  const total = scoreInto(expert, ctx, values)
  return { components: componentsOf(values), total }
}

/** Convenience for one pair (tests, the case page). */
export function scorePair(expert: MatchExpert, kase: MatchCase, config: MatchConfig = DEFAULT_MATCH_CONFIG, asOf?: string): ExpertScore {
  return scoreExpert(expert, scoreContext(kase, config, asOf))
}

/** The total in integer units (what the batch optimises). */
export function scoreUnits(total: number): number {
  return Math.round(total * SCORE_UNITS)
}

/**
 * Marginal convex load cost, in units, of giving an expert their `load`-th concurrent case
 * (counting the cases they already have): loadPenalty·(2·load − 1)/capacity. Non-decreasing in
 * `load`, so the summed cost loadPenalty·load²/capacity is convex and work spreads evenly.
 */
export function marginalLoadUnits(load: number, capacity: number, config: MatchConfig): number {
  if (capacity <= 0) return 0
  return Math.round(config.batch.loadPenalty * SCORE_UNITS * ((2 * load - 1) / capacity))
}

/** Load cost of adding `added` cases to an expert who has `active` of `capacity`. */
export function addedLoadUnits(active: number, added: number, capacity: number, config: MatchConfig): number {
  let sum = 0
  for (let j = 1; j <= added; j++) sum += marginalLoadUnits(active + j, capacity, config)
  return sum
}

// ---------------------------------------------------------------------------------------------
// Reasons

/**
 * Up to `config.recommend.reasonsPerExpert` short reasons as message references, strongest
 * weighted contribution first, only components that are genuinely good (≥ reasonMinComponent).
 * Example: ['matching.reason.primaryDomain?type=医疗', 'matching.reason.sameRegion?region=110108'].
 */
export function buildReasons(expert: MatchExpert, ctx: ScoreContext, components: ScoreComponents): string[] {
  const cfg = ctx.config.recommend
  const ranked = SCORE_COMPONENTS.map((c, i) => ({ c, weighted: ctx.weights[i]! * components[c], value: components[c] }))
    .filter((r) => r.value >= cfg.reasonMinComponent && r.weighted > 0)
    .sort((a, b) => b.weighted - a.weighted || SCORE_COMPONENTS.indexOf(a.c) - SCORE_COMPONENTS.indexOf(b.c))
  const out: string[] = []
  for (const r of ranked) {
    if (out.length >= cfg.reasonsPerExpert) break
    const ref = reasonFor(r.c, expert, ctx)
    if (ref) out.push(ref)
  }
  return out
}

function reasonFor(component: ScoreComponent, expert: MatchExpert, ctx: ScoreContext): string | null {
  switch (component) {
    case 'domain': {
      const m = bestDomainMatch(expert, ctx)
      if (!m) return null
      if (m.kind === 'parent') return messageRef('matching.reason.parentCategory', { category: ctx.category })
      return messageRef(`matching.reason.${m.kind}Domain`, { type: m.type })
    }
    case 'tier':
      return messageRef('matching.reason.tierFit', { tier: expert.tier, difficulty: ctx.kase.difficulty })
    case 'proximity': {
      const where = expert.workRegionPath ?? expert.regionPath
      if (!where) return null
      const common = commonDepth(where, ctx.kase.regionPath)
      if (common === 0) return null
      if (common >= ctx.caseDepth) return messageRef('matching.reason.sameRegion', { region: ctx.kase.regionCode })
      const region = ctx.kase.regionPath.split('/').filter(Boolean)[common - 1]
      return messageRef('matching.reason.sharedRegion', { region })
    }
    case 'rating':
      if (expert.ratings.count === 0) return null
      return messageRef('matching.reason.rated', {
        average: Math.round((expert.ratings.sum / expert.ratings.count) * 10) / 10,
        count: expert.ratings.count,
      })
    case 'load':
      return messageRef('matching.reason.lightLoad', { active: expert.activeCases, max: expert.maxConcurrentCases })
    case 'rotation': {
      const days = idleDays(expert, ctx.asOfDay)
      return days === null ? messageRef('matching.reason.neverAssigned') : messageRef('matching.reason.idle', { days })
    }
  }
}

/** Which of the expert's domains gave the domain score (for the reason). */
export function bestDomainMatch(
  expert: MatchExpert,
  ctx: CaseContext,
): { kind: 'primary' | 'secondary' | 'specialty' | 'parent'; type: string } | null {
  const cfg = ctx.config.domain
  let best: { kind: 'primary' | 'secondary' | 'specialty' | 'parent'; type: string; value: number } | null = null
  for (const d of expert.domains) {
    const role = d.role === 'primary' ? cfg.primary : d.role === 'secondary' ? cfg.secondary : cfg.specialty
    let candidate: { kind: 'primary' | 'secondary' | 'specialty' | 'parent'; type: string; value: number } | null = null
    if (ctx.topics.has(d.disputeType)) candidate = { kind: d.role, type: d.disputeType, value: role }
    else if ((d.parentCategory ?? d.disputeType) === ctx.category)
      candidate = { kind: 'parent', type: d.disputeType, value: role * cfg.parentCategoryFactor }
    // Prefer the main dispute type over the case's further domains when values tie.
    if (candidate && (!best || candidate.value > best.value || (candidate.value === best.value && candidate.type === ctx.kase.disputeType)))
      best = candidate
  }
  return best
}
