/**
 * Exhaustive search for the batch optimum of small instances: the reference the solver is tested
 * against. It shares nothing with batch.ts but the definitions (constraints, score units, load
 * units, requirement test): it enumerates every feasible team per case and every combination.
 *
 * Rule semantics (same as the ADR): with k slots, locked picks L and a rule "≥ r with X", at most
 * max(0, k − r − |L lacking X|) new experts may lack X.
 */
import type { BatchInput } from './batch.ts'
import { caseContext, exclusionMask, exclusionReasons } from './constraints.ts'
import { meetsRequirement } from './recommend.ts'
import { addedLoadUnits, scoreContext, scoreTotal, scoreUnits } from './score.ts'
import { DEFAULT_MATCH_CONFIG } from './types.ts'

export interface ExhaustiveResult {
  filled: number
  objectiveUnits: number
  /** One optimal assignment: case id → new expert ids. */
  teams: Map<string, string[]>
  leaves: number
}

export function exhaustiveOptimum(input: BatchInput, maxLeaves = 5_000_000): ExhaustiveResult {
  const config = input.config ?? DEFAULT_MATCH_CONFIG
  const experts = input.experts
  const index = new Map(experts.map((e, i) => [e.id, i]))
  const E = experts.length
  const lockedLoad = new Int32Array(E)
  let lockedFilled = 0
  let lockedScore = 0

  interface Team {
    members: number[]
    score: number
  }
  const options: Team[][] = input.cases.map((kase) => {
    const ctx = caseContext(kase, config)
    const sctx = scoreContext(kase, config, input.asOf, ctx)
    const locks = [...new Set(kase.lockedExpertIds)].map((id) => {
      const e = index.get(id)
      if (e === undefined) throw new Error(`exhaustive: unknown lock ${id}`)
      if (exclusionReasons(experts[e]!, ctx).some((r) => r.code !== 'capacity.full')) throw new Error(`exhaustive: ineligible lock ${id}`)
      return e
    })
    if (locks.length > kase.expertsNeeded) throw new Error('exhaustive: more locks than k')
    for (const e of locks) {
      lockedLoad[e]!++
      lockedScore += scoreUnits(scoreTotal(experts[e]!, sctx))
    }
    lockedFilled += locks.length
    const candidates: number[] = []
    experts.forEach((expert, e) => {
      if (!locks.includes(e) && exclusionMask(expert, ctx) === 0) candidates.push(e)
    })
    const room = kase.expertsNeeded - locks.length
    const bounds = kase.requirements.map((req) => {
      const atLeast = Math.max(0, Math.floor(req.atLeast ?? 1))
      const lockedLacking = locks.filter((e) => !meetsRequirement(experts[e]!, req)).length
      return Math.max(0, kase.expertsNeeded - atLeast - lockedLacking)
    })
    const teams: Team[] = []
    const chosen: number[] = []
    const walk = (from: number) => {
      const ok = kase.requirements.every((req, r) => chosen.filter((e) => !meetsRequirement(experts[e]!, req)).length <= bounds[r]!)
      if (ok) teams.push({ members: [...chosen], score: chosen.reduce((s, e) => s + scoreUnits(scoreTotal(experts[e]!, sctx)), 0) })
      if (chosen.length === room) return
      for (let i = from; i < candidates.length; i++) {
        chosen.push(candidates[i]!)
        walk(i + 1)
        chosen.pop()
      }
    }
    walk(0)
    return teams
  })
  for (let e = 0; e < E; e++) {
    if (experts[e]!.activeCases + lockedLoad[e]! > experts[e]!.maxConcurrentCases) throw new Error('exhaustive: locks exceed capacity')
  }

  const used = Int32Array.from(lockedLoad)
  let best = { filled: -1, objective: Number.NEGATIVE_INFINITY, pick: [] as number[] }
  const pick: number[] = []
  let leaves = 0
  const dfs = (c: number, filled: number, score: number) => {
    if (c === options.length) {
      if (++leaves > maxLeaves) throw new Error('exhaustive: instance too large')
      let load = 0
      for (let e = 0; e < E; e++)
        if (used[e]) load += addedLoadUnits(experts[e]!.activeCases, used[e]!, experts[e]!.maxConcurrentCases, config)
      const objective = score - load
      if (filled > best.filled || (filled === best.filled && objective > best.objective)) best = { filled, objective, pick: [...pick] }
      return
    }
    const teams = options[c]!
    for (let t = 0; t < teams.length; t++) {
      const team = teams[t]!
      let fits = true
      for (const e of team.members) if (experts[e]!.activeCases + used[e]! + 1 > experts[e]!.maxConcurrentCases) fits = false
      if (!fits) continue
      for (const e of team.members) used[e]!++
      pick.push(t)
      dfs(c + 1, filled + team.members.length, score + team.score)
      pick.pop()
      for (const e of team.members) used[e]!--
    }
  }
  dfs(0, lockedFilled, lockedScore)
  const teams = new Map<string, string[]>()
  input.cases.forEach((kase, c) =>
    teams.set(
      kase.id,
      options[c]![best.pick[c]!]!.members.map((e) => experts[e]!.id),
    ),
  )
  return { filled: best.filled, objectiveUnits: best.objective, teams, leaves }
}
