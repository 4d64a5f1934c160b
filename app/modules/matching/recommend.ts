/**
 * Recommendations for one case: the top N eligible experts with every score component, the total
 * and short reasons, optionally diversified, and everyone else grouped by why they are excluded.
 *
 * Speed (50,000 experts well under 50 ms): the pool index (pool.ts) narrows the pool to the
 * experts in the case's region line who cover its domain; only they are evaluated, as a bit mask
 * (no allocation), and only the eligible ones scored into a preallocated typed array. The order is
 * read off a binary heap over indices, so only the N experts shown get objects, components and
 * reasons. With a plain array, one linear pass does the narrowing instead (no index is worth
 * building for one call); pass an ExpertPool kept between requests to skip even that pass.
 *
 * Diversification ("not all from one organisation"): a greedy re-rank. Candidates are taken in
 * score order; one whose organisation already has `maxPerOrganisation` among the first `within`
 * picks (locked picks count) is deferred. When `within` picks are made, the list goes on with the
 * deferred candidates and then the rest, all in score order. Greedy is exact here: per-organisation
 * caps form a partition matroid, on which greedy by weight gives the best-scoring diverse set.
 */
import { EXCLUSION_BIT, ExclusionTally, type ExclusionSummary, coversDomain, exclusionMask } from './constraints.ts'
import { type CaseCandidates, ExpertPool, scanCandidates } from './pool.ts'
import { type ScoreContext, buildReasons, scoreContext, scoreExpert, scoreTotal } from './score.ts'
import {
  type CaseRequirement,
  type MatchCase,
  type MatchConfig,
  type MatchExpert,
  type ScoreComponents,
  DEFAULT_MATCH_CONFIG,
} from './types.ts'
import { messageRef, tierAtLeast } from './util.ts'

export interface RecommendOptions {
  config?: MatchConfig
  /** "Today" for rotation; defaults to the case start. */
  asOf?: string
  /** Length of the list; defaults to config.recommend.limit (20). */
  limit?: number
  diversify?: {
    maxPerOrganisation: number
    /** How many top places the cap applies to; defaults to the experts still needed (k − locked). */
    within?: number
  }
}

export interface RecommendedExpert {
  expertId: string
  /** 1-based place in the list. */
  rank: number
  total: number
  components: ScoreComponents
  /** Message references, strongest first. */
  reasons: string[]
  organisationId: string | null
  /** Per case requirement (same order): does this expert meet it? */
  meetsRequirements: boolean[]
  /** Moved below others by the diversity rule. */
  deferredForDiversity: boolean
}

export interface RequirementSupply {
  requirement: CaseRequirement
  /** Eligible experts meeting it (locked picks not counted). */
  eligible: number
  /** Locked picks meeting it. */
  locked: number
  /** Message reference describing the requirement. */
  message: string
}

export interface Recommendation {
  caseId: string
  candidates: RecommendedExpert[]
  /** Eligible experts, locked picks not counted. */
  eligibleCount: number
  evaluatedCount: number
  /** Already chosen for the case, so not recommended again. */
  lockedExpertIds: string[]
  requirements: RequirementSupply[]
  /**
   * Everyone not eligible, grouped by reason. Experts who fit domain and region line are counted
   * under every constraint they fail; the others only under domain and/or region (not evaluated
   * further, see tallyOutsiders).
   */
  excluded: ExclusionSummary
}

export function meetsRequirement(expert: MatchExpert, requirement: CaseRequirement): boolean {
  return requirement.kind === 'profession'
    ? expert.professions.includes(requirement.profession)
    : tierAtLeast(expert.tier, requirement.tier)
}

export function requirementRef(requirement: CaseRequirement): string {
  const atLeast = requirement.atLeast ?? 1
  return requirement.kind === 'profession'
    ? messageRef('matching.requirement.profession', { profession: requirement.profession, atLeast })
    : messageRef('matching.requirement.minTier', { tier: requirement.tier, atLeast })
}

export function recommend(kase: MatchCase, experts: ExpertPool | readonly MatchExpert[], options: RecommendOptions = {}): Recommendation {
  const config = options.config ?? DEFAULT_MATCH_CONFIG
  const pool = experts instanceof ExpertPool ? experts : null
  const list = pool ? pool.experts : (experts as readonly MatchExpert[])
  const limit = Math.max(0, Math.floor(options.limit ?? config.recommend.limit))
  const ctx = scoreContext(kase, config, options.asOf ?? kase.periodStart)
  const tally = new ExclusionTally(config.recommend.excludedIdsPerGroup)
  const requirements = kase.requirements
  const supply = new Int32Array(requirements.length)
  const lockedSupply = new Int32Array(requirements.length)

  // Locked picks are not recommended again (and not counted as excluded).
  const indexOf = pool ? pool.indexOf : new Map(kase.lockedExpertIds.length ? list.map((x, i) => [x.id, i]) : [])
  const locked = new Set<number>()
  for (const id of kase.lockedExpertIds) {
    const e = indexOf.get(id)
    if (e === undefined || locked.has(e)) continue
    locked.add(e)
    for (let r = 0; r < requirements.length; r++) if (meetsRequirement(list[e]!, requirements[r]!)) lockedSupply[r]!++
  }
  const lockedIds = [...locked].map((e) => list[e]!.id)
  const lockedOrgs = [...locked].map((e) => list[e]!.organisationId)

  // Hot loop over the pre-filtered candidates: masks and totals only.
  const found = pool
    ? pool.candidates(kase, config.domain.parentCategoryCovers ? ctx.category : null)
    : scanCandidates(kase, list, (expert) => coversDomain(expert, ctx))
  const cands = found.candidates
  const totals = new Float64Array(cands.length)
  const index = new Int32Array(cands.length)
  let m = 0
  for (let i = 0; i < cands.length; i++) {
    const e = cands[i]!
    if (locked.has(e)) continue
    const expert = list[e]!
    const mask = exclusionMask(expert, ctx)
    if (mask !== 0) {
      tally.add(mask, expert.id)
      continue
    }
    totals[m] = scoreTotal(expert, ctx)
    index[m] = e
    m++
    for (let r = 0; r < requirements.length; r++) if (meetsRequirement(expert, requirements[r]!)) supply[r]!++
  }
  tallyOutsiders(tally, list, found, locked)

  const order = rankedOrder(list, totals, index, m, limit, ctx, options, lockedOrgs)
  const candidates = order.map(({ slot, deferred }, i) => describe(list[index[slot]!]!, ctx, i + 1, deferred))

  return {
    caseId: kase.id,
    candidates,
    eligibleCount: m,
    evaluatedCount: list.length,
    lockedExpertIds: lockedIds,
    requirements: requirements.map((requirement, r) => ({
      requirement,
      eligible: supply[r]!,
      locked: lockedSupply[r]!,
      message: requirementRef(requirement),
    })),
    excluded: tally.summary(),
  }
}

/**
 * Experts outside the candidates fail the domain constraint, the region-line constraint or both;
 * the index knows which without evaluating them, so they are counted in bulk. They are not
 * evaluated further: "3 位因利益冲突回避" then counts conflicts among the experts who would fit the
 * case otherwise, which is what staff ask about, not among unrelated experts elsewhere.
 */
function tallyOutsiders(tally: ExclusionTally, list: readonly MatchExpert[], found: CaseCandidates, locked: ReadonlySet<number>) {
  const DOMAIN = EXCLUSION_BIT['domain.notCovered']
  const REGION = EXCLUSION_BIT['region.outsideHierarchy']
  const nCand = found.candidates.length
  // Outsiders by class: region line only (mask DOMAIN), domain only (REGION), neither (both).
  const counts = [found.inRegionLine - nCand, found.inDomain - nCand, list.length - found.inRegionLine - found.inDomain + nCand]
  const classOf = (e: number) => {
    const r = found.isInRegionLine(e)
    const d = found.isInDomain(e)
    return r && !d ? 0 : d && !r ? 1 : !r && !d ? 2 : -1
  }
  for (const e of locked) {
    const k = classOf(e)
    if (k >= 0) counts[k]!--
  }
  const masks = [DOMAIN, REGION, DOMAIN | REGION]
  const ids: string[][] = [[], [], []]
  const want = masks.map((mask, k) => counts[k]! > 0 && tally.wantsIds(mask))
  // A few ids per class for "show who": stop as soon as every wanted list is full.
  for (let e = 0; e < list.length && want.some(Boolean); e++) {
    if (locked.has(e)) continue
    const k = classOf(e)
    if (k < 0 || !want[k]) continue
    ids[k]!.push(list[e]!.id)
    if (ids[k]!.length >= tally.idsPerCode) want[k] = false
  }
  masks.forEach((mask, k) => tally.addMany(mask, counts[k]!, ids[k]!))
}

function describe(expert: MatchExpert, ctx: ScoreContext, rank: number, deferred: boolean): RecommendedExpert {
  const { components, total } = scoreExpert(expert, ctx)
  const meets = ctx.kase.requirements.map((r) => meetsRequirement(expert, r))
  const reasons = buildReasons(expert, ctx, components)
  // A requirement the expert meets is the first thing staff want to read ("医学 expert").
  ctx.kase.requirements.forEach((r, i) => {
    if (meets[i])
      reasons.unshift(
        r.kind === 'profession'
          ? messageRef('matching.reason.hasProfession', { profession: r.profession })
          : messageRef('matching.reason.tierAtLeast', { tier: r.tier }),
      )
  })
  return {
    expertId: expert.id,
    rank,
    total,
    components,
    reasons: reasons.slice(0, Math.max(ctx.config.recommend.reasonsPerExpert, meets.filter(Boolean).length)),
    organisationId: expert.organisationId,
    meetsRequirements: meets,
    deferredForDiversity: deferred,
  }
}

/**
 * The first `limit` eligible experts in score order (ties: smaller id first, so the list is
 * reproducible), diversified if asked. Works on a max-heap of slots into `totals`/`index`.
 */
function rankedOrder(
  experts: readonly MatchExpert[],
  totals: Float64Array,
  index: Int32Array,
  m: number,
  limit: number,
  ctx: ScoreContext,
  options: RecommendOptions,
  lockedOrgs: readonly (string | null)[],
): { slot: number; deferred: boolean }[] {
  const heap = new Int32Array(m)
  for (let i = 0; i < m; i++) heap[i] = i
  // better(a, b): a ranks above b.
  const better = (a: number, b: number) => {
    const ta = totals[a]!
    const tb = totals[b]!
    if (ta !== tb) return ta > tb
    return experts[index[a]!]!.id < experts[index[b]!]!.id
  }
  let size = m
  const siftDown = (start: number) => {
    let i = start
    const item = heap[i]!
    for (;;) {
      let child = 2 * i + 1
      if (child >= size) break
      if (child + 1 < size && better(heap[child + 1]!, heap[child]!)) child++
      if (!better(heap[child]!, item)) break
      heap[i] = heap[child]!
      i = child
    }
    heap[i] = item
  }
  for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(i)
  const pop = (): number => {
    const top = heap[0]!
    size--
    if (size > 0) {
      heap[0] = heap[size]!
      siftDown(0)
    }
    return top
  }

  const out: { slot: number; deferred: boolean }[] = []
  const div = options.diversify
  if (div && div.maxPerOrganisation >= 0) {
    const within = Math.max(0, Math.floor(div.within ?? Math.max(1, ctx.kase.expertsNeeded - lockedOrgs.length)))
    const perOrg = new Map<string, number>()
    for (const org of lockedOrgs) if (org !== null) perOrg.set(org, (perOrg.get(org) ?? 0) + 1)
    const deferred: number[] = []
    while (out.length < Math.min(within, limit) && size > 0) {
      const slot = pop()
      const org = experts[index[slot]!]!.organisationId
      const used = org === null ? 0 : (perOrg.get(org) ?? 0)
      if (org !== null && used >= div.maxPerOrganisation) {
        deferred.push(slot)
        continue
      }
      if (org !== null) perOrg.set(org, used + 1)
      out.push({ slot, deferred: false })
    }
    // Deferred candidates were popped before anything still in the heap, so this stays in score order.
    for (const slot of deferred) {
      if (out.length >= limit) break
      out.push({ slot, deferred: true })
    }
  }
  while (out.length < limit && size > 0) out.push({ slot: pop(), deferred: false })
  return out
}
