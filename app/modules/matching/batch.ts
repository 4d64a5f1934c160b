/**
 * Batch assignment: experts for many cases at once, optimally.
 *
 * Objective, lexicographic: first fill the most expert slots, then maximise Σ score − Σ convex load
 * cost, subject to every hard constraint (constraints.ts), each case's k, each expert's remaining
 * capacity, locked picks and per-case rules ("at least one 医学", "at least one of tier ≥ 市级").
 * Formulation and why: docs/decisions/014-batch-assignment.md. In short:
 *
 * - A rule "at least r experts with attribute X" reserves r of the case's k slots for X: at most
 *   k − r of the case's experts may lack X. (Partial staffing therefore never spends the reserved
 *   slots on others.) Each rule is an upper bound on the set of candidates lacking X.
 * - When a case's rule sets are laminar (nested or disjoint over its actual candidates, which
 *   covers one rule, nested tier rules, and most pairs of rules in practice), they are sub-nodes
 *   of the case in a min-cost flow network, solved exactly by min-cost-flow.ts.
 * - When some case's rule sets cross (e.g. "≥1 医学" and "≥1 省级+" with medical experts on both
 *   sides of the tier line), no flow network expresses them; the whole batch is then solved as a
 *   MIP with HiGHS in a worker thread (assignment-model.ts), with a time limit, and the plan says
 *   whether optimality was proved.
 *
 * Everything is deterministic: cases and experts are processed in id order, costs are integers.
 * No case is ever left short silently: each carries the reasons it could not be fully staffed.
 */
import type { ModelSolveResult, ModelSolver } from './assignment-model.ts'
import { buildAssignmentModel } from './assignment-model.ts'
import {
  EXCLUSION_BIT,
  ExclusionTally,
  type ExclusionSummary,
  caseContext,
  exclusionMask,
  exclusionReasons,
  isEligible,
} from './constraints.ts'
import { MinCostFlow } from './min-cost-flow.ts'
import { meetsRequirement, requirementRef } from './recommend.ts'
import {
  addedLoadUnits,
  caseDependentPart,
  marginalLoadUnits,
  ownScorePart,
  SCORE_UNITS,
  type ScoreContext,
  scoreContext,
  scoreExpert,
  scoreUnits,
} from './score.ts'
import {
  type CaseRequirement,
  type ExclusionReason,
  type MatchCase,
  type MatchConfig,
  type MatchExpert,
  type ScoreComponents,
  DEFAULT_MATCH_CONFIG,
} from './types.ts'
import { ExpertPool } from './pool.ts'
import { messageRef } from './util.ts'

export interface BatchInput {
  cases: readonly MatchCase[]
  experts: readonly MatchExpert[]
  config?: MatchConfig
  /** "Today": rotation scores are computed on this day. */
  asOf: string
}

export interface BatchOptions {
  /** Needed only when some case has crossing rules (highs-worker.server.ts: solveModelInWorker). */
  modelSolver?: ModelSolver
  /** Solve with the MIP even when flow would do (verification, tests). */
  forceMip?: boolean
}

// ---------------------------------------------------------------------------------------------
// Output

export interface AssignedExpert {
  expertId: string
  locked: boolean
  total: number
  scoreUnits: number
  components: ScoreComponents
}

export type ShortfallReason =
  /** Nobody in the pool covers the dispute type (or its category), anywhere. */
  | { code: 'noExpertInDomain'; disputeType: string }
  /** Experts cover it, but none in the case's region line (its region, ancestors, national). */
  | { code: 'noExpertInRegion'; disputeType: string; regionCode: string }
  /** Experts in domain and region exist, but hard constraints exclude them all. */
  | { code: 'noEligibleExpert'; candidates: number; excluded: ExclusionSummary }
  /** Eligible experts exist but have no capacity left (before this batch). */
  | { code: 'allEligibleAtCapacity'; eligible: number }
  | { code: 'tooFewEligible'; eligible: number; needed: number }
  /** Not enough eligible experts with capacity meet a rule; its reserved slots stay empty. */
  | { code: 'ruleUnsatisfiable'; requirement: CaseRequirement; available: number; needed: number }
  /** Each rule can be met alone, not all together with the candidates there are (e.g. k = 1, "医学" and "省级+", no such expert). */
  | { code: 'rulesUnsatisfiableTogether'; requirements: CaseRequirement[]; couldFillAlone: number }
  /** The locked picks alone already break a rule. */
  | { code: 'lockConflictsWithRule'; requirement: CaseRequirement }
  /** The optimum gave the capacity of this case's candidates to other cases (more slots in all). */
  | { code: 'capacityUsedByOtherCases'; couldFillAlone: number; competingCases: number }
  | { code: 'rejectedLocks'; count: number }
  /** The MIP stopped at its time limit: the plan is feasible, its optimality not proven. */
  | { code: 'solverNotProven'; status: string }

export interface CasePlan {
  caseId: string
  needed: number
  /** Locked picks first, then the new ones by score. */
  assigned: AssignedExpert[]
  filled: number
  unfilled: number
  fullyStaffed: boolean
  /** Why the case is short; for any case, also locks rejected or breaking a rule. */
  reasons: ShortfallReason[]
  /** The reasons as message references. */
  messages: string[]
}

export interface ExpertPlan {
  expertId: string
  activeBefore: number
  capacity: number
  lockedCaseIds: string[]
  newCaseIds: string[]
  loadAfter: number
  loadCostUnits: number
}

export type LockRejection = 'unknownExpert' | 'duplicate' | 'ineligible' | 'capacity' | 'exceedsExpertsNeeded'

export interface RejectedLock {
  caseId: string
  expertId: string
  reason: LockRejection
  exclusions: ExclusionReason[]
  message: string
}

export interface BatchPlan {
  asOf: string
  cases: CasePlan[]
  /** Experts with locked or new assignments. */
  experts: ExpertPlan[]
  rejectedLocks: RejectedLock[]
  totals: {
    cases: number
    slots: number
    filled: number
    unfilled: number
    locked: number
    casesFullyStaffed: number
    casesShort: number
    /** Σ score of all assignments (locked included), in [0, 1] per assignment. */
    totalScore: number
    /** Σ convex load cost, same scale. */
    loadCost: number
    scoreUnits: number
    loadCostUnits: number
    /** scoreUnits − loadCostUnits: what the optimum maximises after the filled slots. */
    objectiveUnits: number
  }
  solver: {
    method: 'flow' | 'mip' | 'none'
    /** True when the optimum is proven (always for flow). */
    optimal: boolean
    status: string
    ms: number
    pairs: number
    nonLaminarCaseIds: string[]
    augmentations?: number
    settledNodes?: number
    arcs?: number
    mip?: Omit<ModelSolveResult, 'colValue'>
  }
}

// ---------------------------------------------------------------------------------------------
// The prepared problem (also read by assignment-model.ts, verify.ts and the tests)

export interface PreparedRule {
  requirement: CaseRequirement
  atLeast: number
  lockedMeeting: number
  lockedLacking: number
  /** How many new experts lacking the attribute the case may still take. */
  bound: number
  lockConflict: boolean
  /** Pairs (eligible, with capacity) meeting / lacking the attribute. */
  meeting: number
  lacking: number
  /** Bound never binds (≥ the slots left or ≥ the candidates lacking). */
  redundant: boolean
}

export interface RuleSet {
  /** Bit of the rule in pairLack. */
  bit: number
  bound: number
  size: number
  /** Index of the enclosing set in activeSets, or −1 (the case itself); laminar cases only. */
  parent: number
}

export interface PreparedCase {
  kase: MatchCase
  ctx: ScoreContext
  /** Slots still to fill after the locks. */
  kRemaining: number
  /** Accepted locks (expert indices). */
  locks: number[]
  pairStart: number
  pairEnd: number
  rules: PreparedRule[]
  /** Binding rule sets (identical ones merged), biggest first. */
  activeSets: RuleSet[]
  laminar: boolean
  /** Experts in the case's region line covering its domain (its locked picks not counted). */
  candidates: number
}

export interface BatchProblem {
  config: MatchConfig
  asOf: string
  cases: PreparedCase[]
  experts: MatchExpert[]
  expertIndex: Map<string, number>
  capRemaining: Int32Array
  /** Active cases + accepted locks. */
  loadBase: Int32Array
  lockCount: Int32Array
  pairCase: Int32Array
  pairExpert: Int32Array
  pairScore: Int32Array
  pairTotal: Float64Array
  /** Bit i: the pair's expert lacks the attribute of rule i of its case. */
  pairLack: Int32Array
  rejectedLocks: RejectedLock[]
  /** The index over the experts (id order), also answering "anyone in domain X at all?". */
  pool: ExpertPool
}

const MAX_RULES = 30

/** Append-only typed arrays (a million pairs and more: no boxed numbers, no re-copy per push). */
class Int32List {
  data = new Int32Array(1 << 12)
  length = 0
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2)
      next.set(this.data)
      this.data = next
    }
    this.data[this.length++] = v
  }
  get(i: number): number {
    return this.data[i]!
  }
  toArray(): Int32Array {
    return this.data.slice(0, this.length)
  }
}

class Float64List {
  data = new Float64Array(1 << 12)
  length = 0
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2)
      next.set(this.data)
      this.data = next
    }
    this.data[this.length++] = v
  }
  toArray(): Float64Array {
    return this.data.slice(0, this.length)
  }
}

function byId<T extends { id: string }>(items: readonly T[], what: string): T[] {
  const sorted = [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  for (let i = 1; i < sorted.length; i++) if (sorted[i]!.id === sorted[i - 1]!.id) throw new Error(`Duplicate ${what} id ${sorted[i]!.id}`)
  return sorted
}

/** Turns the input into arrays: accepted locks, eligible pairs with scores, rule sets. */
export function prepareBatch(input: BatchInput): BatchProblem {
  const config = input.config ?? DEFAULT_MATCH_CONFIG
  const experts = byId(input.experts, 'expert')
  const cases = byId(input.cases, 'case')
  const expertIndex = new Map(experts.map((e, i) => [e.id, i]))
  const E = experts.length
  const capRemaining = new Int32Array(E)
  const loadBase = new Int32Array(E)
  const lockCount = new Int32Array(E)
  for (let e = 0; e < E; e++) {
    capRemaining[e] = Math.max(0, experts[e]!.maxConcurrentCases - experts[e]!.activeCases)
    loadBase[e] = experts[e]!.activeCases
  }
  const parentCovers = config.domain.parentCategoryCovers
  const pool = new ExpertPool(experts)
  const rejectedLocks: RejectedLock[] = []

  // Locks first, in case order, so their capacity is spoken for before anything is optimised.
  const contexts = cases.map((kase) => {
    if (kase.requirements.length > MAX_RULES) throw new Error(`case ${kase.id}: more than ${MAX_RULES} requirements`)
    return scoreContext(kase, config, input.asOf, caseContext(kase, config))
  })
  const locksOf: number[][] = cases.map((kase, ci) => {
    const accepted: number[] = []
    const reject = (expertId: string, reason: LockRejection, exclusions: ExclusionReason[] = []) =>
      rejectedLocks.push({
        caseId: kase.id,
        expertId,
        reason,
        exclusions,
        message: messageRef(`matching.lockRejected.${reason}`, { expertId }),
      })
    for (const expertId of kase.lockedExpertIds) {
      const e = expertIndex.get(expertId)
      if (e === undefined) {
        reject(expertId, 'unknownExpert')
        continue
      }
      if (accepted.includes(e)) {
        reject(expertId, 'duplicate')
        continue
      }
      const reasons = exclusionReasons(experts[e]!, contexts[ci]!).filter((r) => r.code !== 'capacity.full')
      if (reasons.length) reject(expertId, 'ineligible', reasons)
      else if (accepted.length >= kase.expertsNeeded) reject(expertId, 'exceedsExpertsNeeded')
      else if (capRemaining[e]! <= 0) reject(expertId, 'capacity')
      else {
        accepted.push(e)
        capRemaining[e]!--
        loadBase[e]!++
        lockCount[e]!++
      }
    }
    return accepted
  })

  const pairCase = new Int32List()
  const pairExpert = new Int32List()
  const pairScore = new Int32List()
  const pairTotal = new Float64List()
  const pairLack = new Int32List()
  // Rating, load and rotation do not depend on the case (one config, one day): computed once.
  const ownPart = new Float64Array(E)
  if (contexts.length) for (let e = 0; e < E; e++) ownPart[e] = ownScorePart(experts[e]!, contexts[0]!)

  const prepared = cases.map((kase, ci): PreparedCase => {
    const ctx = contexts[ci]!
    const locks = locksOf[ci]!
    const kRemaining = Math.max(0, kase.expertsNeeded - locks.length)
    const requirements = kase.requirements
    const pairStart = pairCase.length
    const candidates = pool.candidatesOnly(kase, parentCovers ? ctx.category : null)
    let candidateCount = 0
    for (const e of candidates) {
      const expert = experts[e]!
      if (ctx.locked.has(expert.id)) continue
      candidateCount++
      // Only pairs matter here; why others are out is worked out for short cases only.
      if (capRemaining[e]! <= 0 || kRemaining === 0 || !isEligible(expert, ctx)) continue
      let lack = 0
      for (let r = 0; r < requirements.length; r++) if (!meetsRequirement(expert, requirements[r]!)) lack |= 1 << r
      const total = caseDependentPart(expert, ctx) + ownPart[e]!
      pairCase.push(ci)
      pairExpert.push(e)
      pairTotal.push(total)
      pairScore.push(scoreUnits(total))
      pairLack.push(lack)
    }
    const pairEnd = pairCase.length

    // Rules after the locks.
    const rules: PreparedRule[] = requirements.map((requirement, r) => {
      const atLeast = Math.max(0, Math.floor(requirement.atLeast ?? 1))
      let lockedMeeting = 0
      for (const e of locks) if (meetsRequirement(experts[e]!, requirement)) lockedMeeting++
      const lockedLacking = locks.length - lockedMeeting
      const rawBound = kase.expertsNeeded - atLeast - lockedLacking
      let lacking = 0
      for (let p = pairStart; p < pairEnd; p++) if (pairLack.get(p) & (1 << r)) lacking++
      const bound = Math.max(0, rawBound)
      return {
        requirement,
        atLeast,
        lockedMeeting,
        lockedLacking,
        bound,
        lockConflict: rawBound < 0 && lockedLacking > 0,
        meeting: pairEnd - pairStart - lacking,
        lacking,
        redundant: bound >= kRemaining || bound >= lacking,
      }
    })
    const { activeSets, laminar } = ruleSets(rules, pairLack, pairStart, pairEnd)
    return {
      kase,
      ctx,
      kRemaining,
      locks,
      pairStart,
      pairEnd,
      rules,
      activeSets,
      laminar,
      candidates: candidateCount,
    }
  })

  return {
    config,
    asOf: input.asOf,
    cases: prepared,
    experts,
    expertIndex,
    capRemaining,
    loadBase,
    lockCount,
    pairCase: pairCase.toArray(),
    pairExpert: pairExpert.toArray(),
    pairScore: pairScore.toArray(),
    pairTotal: pairTotal.toArray(),
    pairLack: pairLack.toArray(),
    rejectedLocks,
    pool,
  }
}

/**
 * The binding rule sets of a case, identical ones merged (tighter bound kept), and whether they
 * are laminar: every two either nested or disjoint, judged on the case's actual candidates.
 */
function ruleSets(rules: PreparedRule[], pairLack: Int32List, start: number, end: number): { activeSets: RuleSet[]; laminar: boolean } {
  const sets: RuleSet[] = []
  rules.forEach((rule, bit) => {
    if (!rule.redundant) sets.push({ bit, bound: rule.bound, size: rule.lacking, parent: -1 })
  })
  if (sets.length <= 1) return { activeSets: sets, laminar: true }
  const both = (a: number, b: number) => {
    let n = 0
    const mask = (1 << a) | (1 << b)
    for (let p = start; p < end; p++) if ((pairLack.get(p) & mask) === mask) n++
    return n
  }
  // Merge identical sets.
  const merged: RuleSet[] = []
  for (const s of sets) {
    const twin = merged.find((t) => t.size === s.size && both(t.bit, s.bit) === s.size)
    if (twin) twin.bound = Math.min(twin.bound, s.bound)
    else merged.push({ ...s })
  }
  merged.sort((a, b) => b.size - a.size || a.bit - b.bit)
  let laminar = true
  for (let i = 0; i < merged.length; i++) {
    for (let j = i + 1; j < merged.length; j++) {
      const inter = both(merged[i]!.bit, merged[j]!.bit)
      // merged[j] is no larger: it must lie inside merged[i] or be disjoint from it.
      if (inter !== 0 && inter !== merged[j]!.size) laminar = false
    }
  }
  if (laminar) {
    // Parent: the smallest larger set containing it (sets come biggest first).
    for (let j = 0; j < merged.length; j++) {
      for (let i = j - 1; i >= 0; i--) {
        if (both(merged[i]!.bit, merged[j]!.bit) === merged[j]!.size) {
          merged[j]!.parent = i
          break
        }
      }
    }
  }
  return { activeSets: merged, laminar }
}

// ---------------------------------------------------------------------------------------------
// Solving

/**
 * Dual certificate of a flow solution: node potentials under which every residual arc has a
 * non-negative reduced cost. verify.ts checks it against the plan in O(arcs); if it holds, no
 * cheaper flow exists (LP duality), whatever algorithm produced the plan. NaN: not in the network.
 */
export interface FlowCertificate {
  emptySlotCost: number
  source: number
  expert: Float64Array
  root: Float64Array
  /** Per case, one potential per active rule set. */
  sets: Float64Array[]
}

export interface FlowSolution {
  chosen: Uint8Array
  augmentations: number
  settled: number
  arcs: number
  certificate: FlowCertificate
}

/** Solves the prepared problem by min-cost flow (laminar rules only). Returns the chosen pairs. */
export function solveByFlow(problem: BatchProblem): FlowSolution {
  const { cases, experts, pairCase, pairExpert, pairScore, pairLack, capRemaining, loadBase, config } = problem
  const P = pairCase.length
  const pairsOf = new Int32Array(experts.length)
  for (let p = 0; p < P; p++) pairsOf[pairExpert[p]!]!++

  // Nodes: 0 = source, experts with pairs, then each case's root and rule-set nodes.
  let nodes = 1
  const expertNode = new Int32Array(experts.length).fill(-1)
  let expertArcs = 0
  for (let e = 0; e < experts.length; e++) {
    if (!pairsOf[e]) continue
    expertNode[e] = nodes++
    expertArcs += Math.min(capRemaining[e]!, pairsOf[e]!)
  }
  const rootNode = new Int32Array(cases.length).fill(-1)
  const setNodeStart = new Int32Array(cases.length)
  let setCount = 0
  let slots = 0
  cases.forEach((c, ci) => {
    if (c.pairEnd === c.pairStart || c.kRemaining === 0) return
    if (!c.laminar) throw new Error(`case ${c.kase.id}: rules are not laminar; use the model solver`)
    rootNode[ci] = nodes++
    setNodeStart[ci] = nodes
    nodes += c.activeSets.length
    setCount += c.activeSets.length
    slots += c.kRemaining
  })

  let maxMarginal = 0
  for (let e = 0; e < experts.length; e++) {
    const extra = expertNode[e]! >= 0 ? Math.min(capRemaining[e]!, pairsOf[e]!) : 0
    if (extra > 0) maxMarginal = Math.max(maxMarginal, marginalLoadUnits(loadBase[e]! + extra, experts[e]!.maxConcurrentCases, config))
  }
  // An empty slot must cost more than any real assignment plan can (see the ADR): fill first.
  const EMPTY_SLOT = 1 + slots * (SCORE_UNITS + maxMarginal)
  if (EMPTY_SLOT * (slots + 1) > Number.MAX_SAFE_INTEGER / 4) throw new Error('Batch too large for exact integer costs')

  const net = new MinCostFlow(nodes, expertArcs + P + setCount + cases.length)
  for (let e = 0; e < experts.length; e++) {
    if (expertNode[e]! < 0) continue
    const extra = Math.min(capRemaining[e]!, pairsOf[e]!)
    for (let j = 1; j <= extra; j++)
      net.addArc(0, expertNode[e]!, 1, marginalLoadUnits(loadBase[e]! + j, experts[e]!.maxConcurrentCases, config))
  }
  const pairArc = new Int32Array(P).fill(-1)
  cases.forEach((c, ci) => {
    const root = rootNode[ci]!
    if (root < 0) return
    const sets = c.activeSets
    sets.forEach((set, s) => net.addArc(setNodeStart[ci]! + s, set.parent < 0 ? root : setNodeStart[ci]! + set.parent, set.bound, 0))
    for (let p = c.pairStart; p < c.pairEnd; p++) {
      // Enter at the deepest (smallest) set lacking-attribute set containing the pair.
      let entry = root
      let entrySize = Number.POSITIVE_INFINITY
      const lack = pairLack[p]!
      for (let s = 0; s < sets.length; s++) {
        if (lack & (1 << sets[s]!.bit) && sets[s]!.size < entrySize) {
          entry = setNodeStart[ci]! + s
          entrySize = sets[s]!.size
        }
      }
      pairArc[p] = net.addArc(expertNode[pairExpert[p]!]!, entry, 1, SCORE_UNITS - pairScore[p]!)
    }
    net.addArc(0, root, c.kRemaining, EMPTY_SLOT)
  })
  net.finalize()

  for (let ci = 0; ci < cases.length; ci++) {
    const root = rootNode[ci]!
    if (root < 0) continue
    for (let t = 0; t < cases[ci]!.kRemaining; t++) {
      if (net.augment(0, root) === null) throw new Error('unreachable: the empty-slot arc always reaches the source')
    }
  }
  const chosen = new Uint8Array(P)
  for (let p = 0; p < P; p++) chosen[p] = net.flow(pairArc[p]!) > 0 ? 1 : 0
  const potential = (node: number) => (node >= 0 ? net.potentialOf(node) : Number.NaN)
  const certificate: FlowCertificate = {
    emptySlotCost: EMPTY_SLOT,
    source: net.potentialOf(0),
    expert: Float64Array.from(expertNode, potential),
    root: Float64Array.from(rootNode, potential),
    sets: cases.map((c, ci) =>
      Float64Array.from(c.activeSets, (_, s) => (rootNode[ci]! >= 0 ? net.potentialOf(setNodeStart[ci]! + s) : Number.NaN)),
    ),
  }
  return { chosen, augmentations: net.searches, settled: net.settledTotal, arcs: net.arcCount, certificate }
}

/** Computes the plan. Async only because the MIP, when needed, runs in a worker thread. */
export async function planBatch(input: BatchInput, options: BatchOptions = {}): Promise<BatchPlan> {
  return (await planBatchDetailed(input, options)).plan
}

/** The plan plus what verification needs: the prepared problem and, for flow, the dual certificate. */
export async function planBatchDetailed(
  input: BatchInput,
  options: BatchOptions = {},
): Promise<{ plan: BatchPlan; problem: BatchProblem; chosen: Uint8Array; certificate: FlowCertificate | null }> {
  const started = performance.now()
  let certificate: FlowCertificate | null = null
  const problem = prepareBatch(input)
  const nonLaminar = problem.cases.filter((c) => !c.laminar && c.kRemaining > 0 && c.pairEnd > c.pairStart).map((c) => c.kase.id)
  const P = problem.pairCase.length
  let chosen: Uint8Array
  let solver: BatchPlan['solver']
  if (P === 0) {
    chosen = new Uint8Array(0)
    solver = { method: 'none', optimal: true, status: 'nothing to assign', ms: 0, pairs: 0, nonLaminarCaseIds: nonLaminar }
  } else if (!nonLaminar.length && !options.forceMip) {
    const flow = solveByFlow(problem)
    chosen = flow.chosen
    certificate = flow.certificate
    solver = {
      method: 'flow',
      optimal: true,
      status: 'optimal',
      ms: 0,
      pairs: P,
      nonLaminarCaseIds: [],
      augmentations: flow.augmentations,
      settledNodes: flow.settled,
      arcs: flow.arcs,
    }
  } else {
    if (!options.modelSolver) {
      const why = nonLaminar.length ? `cases ${nonLaminar.join(', ')} have crossing rules` : 'forceMip was asked for'
      throw new Error(`planBatch needs a modelSolver (solveModelInWorker): ${why}`)
    }
    const model = buildAssignmentModel(problem, true)
    const result = await options.modelSolver({ model, timeLimitSeconds: problem.config.batch.mipTimeLimitSeconds })
    if (result.status === 'error' || result.status === 'infeasible') throw new Error(`MIP solve failed: ${result.stageStatus.join(' / ')}`)
    chosen = new Uint8Array(P)
    for (let p = 0; p < P; p++) chosen[p] = result.colValue[p]! > 0.5 ? 1 : 0
    const { colValue: _omit, ...mip } = result
    solver = {
      method: 'mip',
      optimal: result.status === 'optimal',
      status: result.status,
      ms: 0,
      pairs: P,
      nonLaminarCaseIds: nonLaminar,
      mip,
    }
  }
  const violations = internalViolations(problem, chosen)
  if (violations.length) throw new Error(`Batch solver produced an infeasible plan: ${violations.slice(0, 5).join('; ')}`)
  const plan = assemble(problem, chosen, solver)
  plan.solver.ms = Math.round((performance.now() - started) * 100) / 100
  return { plan, problem, chosen, certificate }
}

/** Capacity, k and rule bounds on the chosen pairs (a guard; verify.ts checks from the raw input). */
function internalViolations(problem: BatchProblem, chosen: Uint8Array): string[] {
  const out: string[] = []
  const used = new Int32Array(problem.experts.length)
  for (let p = 0; p < chosen.length; p++) if (chosen[p]) used[problem.pairExpert[p]!]!++
  used.forEach((n, e) => {
    if (n > problem.capRemaining[e]!) out.push(`expert ${problem.experts[e]!.id} over capacity`)
  })
  for (const c of problem.cases) {
    let n = 0
    const lacking = new Int32Array(c.rules.length)
    for (let p = c.pairStart; p < c.pairEnd; p++) {
      if (!chosen[p]) continue
      n++
      for (let r = 0; r < c.rules.length; r++) if (problem.pairLack[p]! & (1 << r)) lacking[r]!++
    }
    if (n > c.kRemaining) out.push(`case ${c.kase.id} over k`)
    c.rules.forEach((rule, r) => {
      if (lacking[r]! > rule.bound) out.push(`case ${c.kase.id} breaks rule ${r}`)
    })
  }
  return out
}

function assemble(problem: BatchProblem, chosen: Uint8Array, solver: BatchPlan['solver']): BatchPlan {
  const { experts, cases, config } = problem
  const newCases: number[][] = experts.map(() => [])
  const lockedCases: number[][] = experts.map(() => [])
  let scoreSum = 0
  let scoreUnitsSum = 0
  let filledTotal = 0
  let lockedTotal = 0
  let slots = 0
  const casePlans: CasePlan[] = cases.map((c, ci) => {
    const assigned: AssignedExpert[] = []
    for (const e of c.locks) {
      const s = scoreExpert(experts[e]!, c.ctx)
      assigned.push({ expertId: experts[e]!.id, locked: true, total: s.total, scoreUnits: scoreUnits(s.total), components: s.components })
      lockedCases[e]!.push(ci)
    }
    const fresh: AssignedExpert[] = []
    for (let p = c.pairStart; p < c.pairEnd; p++) {
      if (!chosen[p]) continue
      const e = problem.pairExpert[p]!
      const s = scoreExpert(experts[e]!, c.ctx)
      fresh.push({ expertId: experts[e]!.id, locked: false, total: s.total, scoreUnits: problem.pairScore[p]!, components: s.components })
      newCases[e]!.push(ci)
    }
    fresh.sort((a, b) => b.scoreUnits - a.scoreUnits || (a.expertId < b.expertId ? -1 : 1))
    assigned.push(...fresh)
    for (const a of assigned) {
      scoreSum += a.total
      scoreUnitsSum += a.scoreUnits
    }
    const filled = assigned.length
    filledTotal += filled
    lockedTotal += c.locks.length
    slots += c.kase.expertsNeeded
    const unfilled = Math.max(0, c.kase.expertsNeeded - filled)
    return {
      caseId: c.kase.id,
      needed: c.kase.expertsNeeded,
      assigned,
      filled,
      unfilled,
      fullyStaffed: unfilled === 0,
      reasons: [],
      messages: [],
    }
  })

  let loadUnits = 0
  const expertPlans: ExpertPlan[] = []
  experts.forEach((expert, e) => {
    const added = lockedCases[e]!.length + newCases[e]!.length
    if (!added) return
    const cost = addedLoadUnits(expert.activeCases, added, expert.maxConcurrentCases, config)
    loadUnits += cost
    expertPlans.push({
      expertId: expert.id,
      activeBefore: expert.activeCases,
      capacity: expert.maxConcurrentCases,
      lockedCaseIds: lockedCases[e]!.map((ci) => cases[ci]!.kase.id),
      newCaseIds: newCases[e]!.map((ci) => cases[ci]!.kase.id),
      loadAfter: expert.activeCases + added,
      loadCostUnits: cost,
    })
  })

  // Explain every case left short.
  casePlans.forEach((plan, ci) => {
    if (plan.fullyStaffed) {
      plan.reasons = lockIssues(problem, cases[ci]!)
    } else {
      plan.reasons = explainShortfall(problem, ci, newCases, plan.filled - cases[ci]!.locks.length)
      if (!solver.optimal) plan.reasons.push({ code: 'solverNotProven', status: solver.status })
    }
    plan.messages = plan.reasons.map(shortfallRef)
  })

  const casesFullyStaffed = casePlans.filter((c) => c.fullyStaffed).length
  return {
    asOf: problem.asOf,
    cases: casePlans,
    experts: expertPlans,
    rejectedLocks: problem.rejectedLocks,
    totals: {
      cases: cases.length,
      slots,
      filled: filledTotal,
      unfilled: slots - filledTotal,
      locked: lockedTotal,
      casesFullyStaffed,
      casesShort: cases.length - casesFullyStaffed,
      totalScore: scoreSum,
      loadCost: loadUnits / SCORE_UNITS,
      scoreUnits: scoreUnitsSum,
      loadCostUnits: loadUnits,
      objectiveUnits: scoreUnitsSum - loadUnits,
    },
    solver,
  }
}

// ---------------------------------------------------------------------------------------------
// Why a case is short

function explainShortfall(problem: BatchProblem, ci: number, newCasesOf: readonly number[][], newFilled: number): ShortfallReason[] {
  const c = problem.cases[ci]!
  const kase = c.kase
  const reasons: ShortfallReason[] = lockIssues(problem, c)
  if (c.kRemaining === 0) return reasons

  const topics = [kase.disputeType, ...kase.domains]
  const inDomain =
    topics.some((t) => problem.pool.coveringType(t) > 0) ||
    (problem.config.domain.parentCategoryCovers && problem.pool.coveringCategory(c.ctx.category) > 0)
  if (!inDomain) return [...reasons, { code: 'noExpertInDomain', disputeType: kase.disputeType }]
  if (c.candidates === 0 && c.locks.length === 0)
    return [...reasons, { code: 'noExpertInRegion', disputeType: kase.disputeType, regionCode: kase.regionCode }]
  const eligible = eligibleIgnoringCapacity(problem, c)
  if (eligible === 0) {
    // Group what excluded the experts who fit domain and region.
    const tally = new ExclusionTally(problem.config.recommend.excludedIdsPerGroup)
    const candidates = problem.pool.candidatesOnly(kase, problem.config.domain.parentCategoryCovers ? c.ctx.category : null)
    for (const e of candidates) {
      const expert = problem.experts[e]!
      if (!c.ctx.locked.has(expert.id)) tally.add(exclusionMask(expert, c.ctx), expert.id)
    }
    return [...reasons, { code: 'noEligibleExpert', candidates: c.candidates, excluded: tally.summary() }]
  }
  const pairs = c.pairEnd - c.pairStart
  if (pairs === 0) return [...reasons, { code: 'allEligibleAtCapacity', eligible }]
  if (pairs < c.kRemaining) reasons.push({ code: 'tooFewEligible', eligible: pairs, needed: c.kRemaining })
  for (const rule of c.rules) {
    const needed = rule.atLeast - rule.lockedMeeting
    if (needed > 0 && rule.meeting < needed)
      reasons.push({ code: 'ruleUnsatisfiable', requirement: rule.requirement, available: rule.meeting, needed })
  }
  const alone = fillAlone(problem, c)
  if (alone < Math.min(c.kRemaining, pairs) && !reasons.some((r) => r.code === 'ruleUnsatisfiable')) {
    reasons.push({ code: 'rulesUnsatisfiableTogether', requirements: c.rules.map((r) => r.requirement), couldFillAlone: alone })
  }
  if (newFilled < alone) {
    const competing = new Set<number>()
    for (let p = c.pairStart; p < c.pairEnd; p++)
      for (const other of newCasesOf[problem.pairExpert[p]!]!) if (other !== ci) competing.add(other)
    reasons.push({ code: 'capacityUsedByOtherCases', couldFillAlone: alone, competingCases: competing.size })
  }
  return reasons
}

/** Candidates passing every constraint but capacity (locked picks not counted). */
function eligibleIgnoringCapacity(problem: BatchProblem, c: PreparedCase): number {
  const notCapacity = ~EXCLUSION_BIT['capacity.full']
  const candidates = problem.pool.candidatesOnly(c.kase, problem.config.domain.parentCategoryCovers ? c.ctx.category : null)
  let n = 0
  for (const e of candidates) {
    const expert = problem.experts[e]!
    if (!c.ctx.locked.has(expert.id) && (exclusionMask(expert, c.ctx) & notCapacity) === 0) n++
  }
  return n
}

/** Locks rejected for this case, and rules its accepted locks already break (reported even when staffed). */
function lockIssues(problem: BatchProblem, c: PreparedCase): ShortfallReason[] {
  const reasons: ShortfallReason[] = []
  const rejected = problem.rejectedLocks.filter((r) => r.caseId === c.kase.id).length
  if (rejected) reasons.push({ code: 'rejectedLocks', count: rejected })
  for (const rule of c.rules) if (rule.lockConflict) reasons.push({ code: 'lockConflictsWithRule', requirement: rule.requirement })
  return reasons
}

/**
 * The most slots the case could fill if it had its candidates to itself: a small exact search over
 * classes of candidates (same lacking-attribute pattern), bounded by k. Only explains a shortfall;
 * past a step budget (many rules and classes) it settles for the bound min(k, candidates).
 */
function fillAlone(problem: BatchProblem, c: PreparedCase): number {
  const pairs = c.pairEnd - c.pairStart
  if (!c.activeSets.length) return Math.min(c.kRemaining, pairs)
  const classes = new Map<number, number>()
  for (let p = c.pairStart; p < c.pairEnd; p++) classes.set(problem.pairLack[p]!, (classes.get(problem.pairLack[p]!) ?? 0) + 1)
  const list = [...classes.entries()]
  const bounds = c.rules.map((r) => r.bound)
  const used = new Int32Array(bounds.length)
  let best = 0
  let budget = 100_000
  const search = (i: number, taken: number) => {
    if (taken > best) best = taken
    if (--budget < 0) best = Math.min(c.kRemaining, pairs)
    if (i === list.length || best === c.kRemaining || budget < 0) return
    const [lack, count] = list[i]!
    let room = Math.min(count, c.kRemaining - taken)
    for (let r = 0; r < bounds.length; r++) if (lack & (1 << r)) room = Math.min(room, bounds[r]! - used[r]!)
    for (let n = room; n >= 0; n--) {
      for (let r = 0; r < bounds.length; r++) if (lack & (1 << r)) used[r]! += n
      search(i + 1, taken + n)
      for (let r = 0; r < bounds.length; r++) if (lack & (1 << r)) used[r]! -= n
      if (best === c.kRemaining) return
    }
  }
  search(0, 0)
  return best
}

export function shortfallRef(reason: ShortfallReason): string {
  switch (reason.code) {
    case 'noExpertInDomain':
      return messageRef('matching.shortfall.noExpertInDomain', { type: reason.disputeType })
    case 'noExpertInRegion':
      return messageRef('matching.shortfall.noExpertInRegion', { type: reason.disputeType, region: reason.regionCode })
    case 'noEligibleExpert': {
      const top = reason.excluded.groups[0]
      return messageRef('matching.shortfall.noEligibleExpert', { candidates: reason.candidates, family: top?.family, count: top?.count })
    }
    case 'allEligibleAtCapacity':
      return messageRef('matching.shortfall.allEligibleAtCapacity', { eligible: reason.eligible })
    case 'tooFewEligible':
      return messageRef('matching.shortfall.tooFewEligible', { eligible: reason.eligible, needed: reason.needed })
    case 'ruleUnsatisfiable':
      return messageRef('matching.shortfall.ruleUnsatisfiable', {
        requirement: requirementRef(reason.requirement),
        available: reason.available,
        needed: reason.needed,
      })
    case 'rulesUnsatisfiableTogether':
      return messageRef('matching.shortfall.rulesUnsatisfiableTogether', {
        requirements: reason.requirements.map(requirementRef).join(';'),
        alone: reason.couldFillAlone,
      })
    case 'lockConflictsWithRule':
      return messageRef('matching.shortfall.lockConflictsWithRule', { requirement: requirementRef(reason.requirement) })
    case 'capacityUsedByOtherCases':
      return messageRef('matching.shortfall.capacityUsedByOtherCases', { alone: reason.couldFillAlone, cases: reason.competingCases })
    case 'rejectedLocks':
      return messageRef('matching.shortfall.rejectedLocks', { count: reason.count })
    case 'solverNotProven':
      return messageRef('matching.shortfall.solverNotProven', { status: reason.status })
  }
}
