/**
 * Independent checks of a batch plan, from the raw input only (not from the solver's prepared
 * arrays): every hard constraint, k, capacities, locks, rules, and the objective recomputed from
 * scratch. Used by the tests and the batch bench; cheap enough to run on 5,000 × 20,000.
 *
 * `checkFlowCertificate` proves a plan optimal: it rebuilds the residual network of the plan's
 * own assignments and checks that the given potentials leave no arc with negative reduced cost.
 */
import type { BatchInput, BatchPlan, BatchProblem, FlowCertificate } from './batch.ts'
import { caseContext, exclusionReasons } from './constraints.ts'
import { meetsRequirement } from './recommend.ts'
import { SCORE_UNITS, addedLoadUnits, marginalLoadUnits, scoreContext, scoreTotal, scoreUnits } from './score.ts'
import { DEFAULT_MATCH_CONFIG, type MatchExpert } from './types.ts'

export interface PlanCheck {
  violations: string[]
  /** Slots filled, locked picks included. */
  filled: number
  /** Σ score units − Σ load units, recomputed. */
  objectiveUnits: number
}

export function checkPlan(input: BatchInput, plan: BatchPlan): PlanCheck {
  const config = input.config ?? DEFAULT_MATCH_CONFIG
  const violations: string[] = []
  const experts = new Map(input.experts.map((e) => [e.id, e]))
  const planned = new Map(plan.cases.map((c) => [c.caseId, c]))
  const added = new Map<string, number>()
  let filled = 0
  let scoreSum = 0
  const rejected = new Set(plan.rejectedLocks.map((r) => `${r.caseId}|${r.expertId}`))
  if (plan.cases.length !== input.cases.length) violations.push(`plan has ${plan.cases.length} cases, input ${input.cases.length}`)

  for (const kase of input.cases) {
    const p = planned.get(kase.id)
    if (!p) {
      violations.push(`case ${kase.id} missing from the plan`)
      continue
    }
    const ctx = caseContext(kase, config)
    const sctx = scoreContext(kase, config, input.asOf, ctx)
    const ids = new Set<string>()
    const lockedPicked: MatchExpert[] = []
    const fresh: MatchExpert[] = []
    for (const a of p.assigned) {
      const expert = experts.get(a.expertId)
      if (!expert) {
        violations.push(`case ${kase.id}: unknown expert ${a.expertId}`)
        continue
      }
      if (ids.has(a.expertId)) violations.push(`case ${kase.id}: expert ${a.expertId} twice`)
      ids.add(a.expertId)
      const reasons = exclusionReasons(expert, ctx).filter((r) => !(a.locked && r.code === 'capacity.full'))
      if (reasons.length) violations.push(`case ${kase.id}: ${a.expertId} ineligible (${reasons.map((r) => r.code).join(', ')})`)
      if (a.locked) {
        if (!kase.lockedExpertIds.includes(a.expertId))
          violations.push(`case ${kase.id}: ${a.expertId} marked locked but not a locked pick`)
        lockedPicked.push(expert)
      } else {
        if (kase.lockedExpertIds.includes(a.expertId)) violations.push(`case ${kase.id}: locked pick ${a.expertId} not marked locked`)
        fresh.push(expert)
      }
      added.set(a.expertId, (added.get(a.expertId) ?? 0) + 1)
      const units = scoreUnits(scoreTotal(expert, sctx))
      if (units !== a.scoreUnits) violations.push(`case ${kase.id}: score of ${a.expertId} is ${a.scoreUnits}, recomputed ${units}`)
      scoreSum += units
    }
    for (const id of new Set(kase.lockedExpertIds)) {
      if (!ids.has(id) && !rejected.has(`${kase.id}|${id}`)) violations.push(`case ${kase.id}: lock ${id} neither kept nor rejected`)
    }
    if (p.assigned.length > kase.expertsNeeded)
      violations.push(`case ${kase.id}: ${p.assigned.length} experts for k = ${kase.expertsNeeded}`)
    if (p.filled !== p.assigned.length || p.unfilled !== Math.max(0, kase.expertsNeeded - p.assigned.length)) {
      violations.push(`case ${kase.id}: filled/unfilled counts wrong`)
    }
    // Rules: new experts lacking the attribute ≤ max(0, k − r − locked lacking it).
    kase.requirements.forEach((req, r) => {
      const atLeast = Math.max(0, Math.floor(req.atLeast ?? 1))
      const lockedLacking = lockedPicked.filter((e) => !meetsRequirement(e, req)).length
      const freshLacking = fresh.filter((e) => !meetsRequirement(e, req)).length
      if (freshLacking > Math.max(0, kase.expertsNeeded - atLeast - lockedLacking)) violations.push(`case ${kase.id}: rule ${r} broken`)
    })
    if (p.assigned.length < kase.expertsNeeded && !p.reasons.length) violations.push(`case ${kase.id}: short without a reason`)
    filled += p.assigned.length
  }

  let loadUnits = 0
  for (const [id, n] of added) {
    const e = experts.get(id)!
    if (e.activeCases + n > e.maxConcurrentCases)
      violations.push(`expert ${id}: ${e.activeCases} + ${n} > capacity ${e.maxConcurrentCases}`)
    loadUnits += addedLoadUnits(e.activeCases, n, e.maxConcurrentCases, config)
  }
  const objectiveUnits = scoreSum - loadUnits
  if (plan.totals.filled !== filled) violations.push(`totals.filled ${plan.totals.filled} ≠ ${filled}`)
  if (plan.totals.objectiveUnits !== objectiveUnits)
    violations.push(`totals.objectiveUnits ${plan.totals.objectiveUnits} ≠ ${objectiveUnits}`)
  return { violations, filled, objectiveUnits }
}

/**
 * Checks a dual certificate against a plan (see batch.ts FlowCertificate): rebuilds every arc of
 * the flow network with the flow the *plan* implies, and requires reduced cost ≥ 0 on each arc
 * with residual capacity forward (flow < capacity) and ≤ 0 on each arc carrying flow (its reverse
 * is residual). By LP duality no cheaper plan exists then; and because an empty slot costs more
 * than any whole plan's real cost (also checked), fewer empty slots always come first. Empty:
 * proven optimal.
 */
export function checkFlowCertificate(problem: BatchProblem, plan: BatchPlan, cert: FlowCertificate): string[] {
  const out: string[] = []
  const { cases, experts, pairCase, pairExpert, pairScore, pairLack, capRemaining, loadBase, config } = problem
  const E = experts.length
  const P = pairCase.length
  // The plan's new assignments as pairs.
  const pairOf = new Map<number, number>()
  for (let p = 0; p < P; p++) pairOf.set(pairCase[p]! * E + pairExpert[p]!, p)
  const caseIndex = new Map(cases.map((c, i) => [c.kase.id, i]))
  const chosen = new Uint8Array(P)
  for (const c of plan.cases) {
    const ci = caseIndex.get(c.caseId)
    if (ci === undefined) {
      out.push(`unknown case ${c.caseId}`)
      continue
    }
    for (const a of c.assigned) {
      if (a.locked) continue
      const p = pairOf.get(ci * E + (problem.expertIndex.get(a.expertId) ?? -1))
      if (p === undefined) out.push(`case ${c.caseId}: ${a.expertId} is not an eligible pair`)
      else chosen[p] = 1
    }
  }
  const pairsOf = new Int32Array(E)
  const used = new Int32Array(E)
  for (let p = 0; p < P; p++) {
    pairsOf[pairExpert[p]!]!++
    if (chosen[p]) used[pairExpert[p]!]!++
  }
  const bad = (what: string, rc: number, mustBe: 'nonNegative' | 'nonPositive') => {
    if (Number.isNaN(rc) || (mustBe === 'nonNegative' ? rc < 0 : rc > 0)) out.push(`${what}: reduced cost ${rc}`)
  }

  // Lexicographic order: an empty slot must outweigh any plan's real cost.
  let slots = 0
  let maxMarginal = 0
  for (const c of cases) if (c.pairEnd > c.pairStart) slots += c.kRemaining
  for (let e = 0; e < E; e++) {
    const extra = Math.min(capRemaining[e]!, pairsOf[e]!)
    if (extra > 0) maxMarginal = Math.max(maxMarginal, marginalLoadUnits(loadBase[e]! + extra, experts[e]!.maxConcurrentCases, config))
  }
  if (!(cert.emptySlotCost > slots * (SCORE_UNITS + maxMarginal))) out.push('empty-slot cost does not dominate the real costs')

  // Source → expert: the j-th extra case at its marginal cost; the first used[e] carry flow.
  for (let e = 0; e < E; e++) {
    if (!pairsOf[e]) continue
    const extra = Math.min(capRemaining[e]!, pairsOf[e]!)
    if (used[e]! > extra) out.push(`expert ${experts[e]!.id} over capacity`)
    for (let j = 1; j <= extra; j++) {
      const rc = marginalLoadUnits(loadBase[e]! + j, experts[e]!.maxConcurrentCases, config) + cert.source - cert.expert[e]!
      bad(`source→${experts[e]!.id}#${j}`, rc, j <= used[e]! ? 'nonPositive' : 'nonNegative')
    }
  }
  cases.forEach((c, ci) => {
    if (c.pairEnd === c.pairStart || c.kRemaining === 0) return
    const sets = c.activeSets
    const setPotential = cert.sets[ci]!
    const root = cert.root[ci]!
    // Expert → case (entering the smallest rule set that contains the pair).
    const setFlow = new Int32Array(sets.length)
    let filled = 0
    for (let p = c.pairStart; p < c.pairEnd; p++) {
      let entry = root
      let size = Number.POSITIVE_INFINITY
      sets.forEach((set, s) => {
        if (pairLack[p]! & (1 << set.bit) && set.size < size) {
          entry = setPotential[s]!
          size = set.size
        }
        if (chosen[p] && pairLack[p]! & (1 << set.bit)) setFlow[s]!++
      })
      if (chosen[p]) filled++
      const rc = SCORE_UNITS - pairScore[p]! + cert.expert[pairExpert[p]!]! - entry
      bad(`pair ${c.kase.id}/${experts[pairExpert[p]!]!.id}`, rc, chosen[p] ? 'nonPositive' : 'nonNegative')
    }
    // Rule set → enclosing set (or the case): capacity = the rule's bound.
    sets.forEach((set, s) => {
      if (setFlow[s]! > set.bound) out.push(`case ${c.kase.id}: rule set ${set.bit} over its bound`)
      const rc = setPotential[s]! - (set.parent < 0 ? root : setPotential[set.parent]!)
      if (setFlow[s]! < set.bound) bad(`set ${c.kase.id}#${set.bit}`, rc, 'nonNegative')
      if (setFlow[s]! > 0) bad(`set ${c.kase.id}#${set.bit} (reverse)`, rc, 'nonPositive')
    })
    // Source → case: the empty slots.
    const empty = c.kRemaining - filled
    if (empty < 0) out.push(`case ${c.kase.id} over k`)
    const rc = cert.emptySlotCost + cert.source - root
    if (empty < c.kRemaining) bad(`empty ${c.kase.id}`, rc, 'nonNegative')
    if (empty > 0) bad(`empty ${c.kase.id} (reverse)`, rc, 'nonPositive')
  })
  return out
}
