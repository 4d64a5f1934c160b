import { afterAll, describe, expect, it } from 'vitest'
import { type ModelSolver, buildAssignmentModel } from './assignment-model.ts'
import { type BatchInput, type BatchPlan, planBatch, planBatchDetailed, prepareBatch, solveByFlow } from './batch.ts'
import { caseContext, exclusionMask } from './constraints.ts'
import { exhaustiveOptimum } from './exhaustive.ts'
import { BEIJING, HAIDIAN, makeCase, makeExpert } from './fixtures.ts'
import { type Rng, chance, generateCases, generateExperts, int, makeOrganisations, makeRegions, pick, prng } from './generate.ts'
import { solveModelInWorker, stopModelWorker } from './highs-worker.server.ts'
import { checkFlowCertificate, checkPlan } from './verify.ts'
import type { MatchCase, MatchExpert } from './types.ts'

const asOf = '2026-11-23'
const solve = (input: BatchInput, forceMip = false) => planBatch(input, { modelSolver: solveModelInWorker, forceMip })

afterAll(async () => {
  await stopModelWorker()
})

type Mode = 'sparse' | 'dense' | 'crossing'

/**
 * A small random instance with contention. `sparse`: two cities, three dispute types, many
 * exclusions; `dense`: one district, two related types, more experts per case; `crossing`: dense,
 * with two rules per case (profession and tier) over experts drawn to make them cross.
 */
function smallInstance(rng: Rng, mode: Mode): BatchInput {
  const dense = mode !== 'sparse'
  const regions = dense ? makeRegions(1, 1, 1) : makeRegions(1, 2, 2)
  const organisations = makeOrganisations(6)
  const disputeTypes = dense ? ['医疗', '道路交通事故'] : ['医疗', '道路交通事故', '合同']
  // Professions drawn from two, so rules on them and on tiers cross often among so few experts.
  const experts = generateExperts(rng, dense ? int(rng, 4, 8) : int(rng, 2, 6), {
    asOf,
    regions,
    organisations,
    disputeTypes,
    capacity: dense ? [1, 2] : [0, 2],
    conflictRate: dense ? 0.05 : 0.15,
    unavailableRate: 0.08,
  }).map((e): MatchExpert => ({ ...e, professions: chance(rng, 0.2) ? ['medicine', 'law'] : [pick(rng, ['medicine', 'law'] as const)] }))
  const cases = generateCases(rng, dense ? int(rng, 1, 3) : int(rng, 1, 4), {
    asOf,
    regions,
    organisations,
    disputeTypes,
    k: dense ? [1, 2] : [1, 3],
    ruleRate: mode === 'crossing' ? 0 : 0.4,
    twoRuleRate: mode === 'crossing' ? 1 : 0,
    neutralityRate: dense ? 0 : 0.15,
    expertIds: experts.map((e) => e.id),
  })
  // Random valid locks: eligible experts whose capacity the locks do not exceed.
  const used = new Map<string, number>()
  const withLocks = cases.map((kase): MatchCase => {
    if (!chance(rng, 0.2)) return kase
    const ctx = caseContext(kase)
    const options = experts.filter((e) => exclusionMask(e, ctx) === 0 && e.activeCases + (used.get(e.id) ?? 0) < e.maxConcurrentCases)
    if (!options.length) return kase
    const e = pick(rng, options)
    used.set(e.id, (used.get(e.id) ?? 0) + 1)
    return { ...kase, lockedExpertIds: [e.id] }
  })
  return { cases: withLocks, experts, asOf }
}

function expectValid(input: BatchInput, plan: BatchPlan) {
  const check = checkPlan(input, plan)
  expect(check.violations).toEqual([])
  return check
}

describe('batch assignment against exhaustive search', () => {
  it('finds the same optimum (filled slots, then score − load cost) on hundreds of small random instances', async () => {
    const rng = prng(20261123)
    const methods = { flow: 0, mip: 0, none: 0 }
    let compared = 0
    let withShortfall = 0
    let withRules = 0
    for (let round = 0; round < 600 && compared < 400; round++) {
      const input = smallInstance(rng, (['sparse', 'dense', 'crossing'] as const)[round % 3]!)
      let reference: ReturnType<typeof exhaustiveOptimum>
      try {
        reference = exhaustiveOptimum(input, 400_000)
      } catch (e) {
        if (String(e).includes('too large')) continue
        throw e
      }
      const { plan, problem, certificate } = await planBatchDetailed(input, { modelSolver: solveModelInWorker })
      methods[plan.solver.method]++
      const check = expectValid(input, plan)
      if (certificate) expect(checkFlowCertificate(problem, plan, certificate)).toEqual([])
      expect({ round, filled: check.filled, objective: check.objectiveUnits }).toEqual({
        round,
        filled: reference.filled,
        objective: reference.objectiveUnits,
      })
      expect(plan.solver.optimal).toBe(true)
      if (plan.totals.unfilled > 0) withShortfall++
      if (input.cases.some((c) => c.requirements.length)) withRules++
      compared++
    }
    expect(compared).toBe(400)
    // The sample exercises both solvers, short cases and rules.
    expect(methods.flow).toBeGreaterThan(150)
    expect(methods.mip).toBeGreaterThan(20)
    expect(withShortfall).toBeGreaterThan(50)
    expect(withRules).toBeGreaterThan(100)
  }, 120_000)

  it('the MIP formulation agrees with the flow on laminar instances', async () => {
    const rng = prng(77)
    let compared = 0
    for (let round = 0; round < 120 && compared < 50; round++) {
      const input = smallInstance(rng, round % 2 ? 'sparse' : 'dense')
      const flow = await solve(input)
      if (flow.solver.method !== 'flow') continue
      const mip = await solve(input, true)
      expect(mip.solver.method).toBe('mip')
      expect([mip.totals.filled, mip.totals.objectiveUnits]).toEqual([flow.totals.filled, flow.totals.objectiveUnits])
      compared++
    }
    expect(compared).toBe(50)
  }, 60_000)
})

describe('batch assignment on large instances', () => {
  const regions = makeRegions(3, 4, 5)
  const organisations = makeOrganisations(800)
  const experts = generateExperts(prng(5), 5000, { asOf, regions, organisations, capacity: [0, 3] })
  const cases = generateCases(prng(6), 500, { asOf, regions, organisations, k: [1, 3], ruleRate: 0.4, expertIds: experts.map((e) => e.id) })
  const input: BatchInput = { cases, experts, asOf }

  it('violates no constraint with 500 cases × 5,000 experts, explains every short case, and proves its optimum', async () => {
    const { plan, problem, certificate } = await planBatchDetailed(input)
    expect(plan.solver.method).toBe('flow')
    expectValid(input, plan)
    expect(checkFlowCertificate(problem, plan, certificate!)).toEqual([])
    // A feasible but worse plan fails the certificate: move one assignment to a worse free candidate.
    const worse = structuredClone(plan)
    let moved = false
    for (const c of worse.cases) {
      const prepared = problem.cases.find((p) => p.kase.id === c.caseId)!
      const taken = new Set(c.assigned.map((a) => a.expertId))
      const current = c.assigned.find((a) => !a.locked)
      if (!current) continue
      for (let p = prepared.pairStart; p < prepared.pairEnd && !moved; p++) {
        const e = problem.experts[problem.pairExpert[p]!]!
        const busy = worse.experts.find((x) => x.expertId === e.id)
        if (taken.has(e.id) || busy || problem.pairScore[p]! >= current.scoreUnits) continue
        if (prepared.rules.length) continue
        current.expertId = e.id
        current.scoreUnits = problem.pairScore[p]!
        moved = true
      }
      if (moved) break
    }
    expect(moved).toBe(true)
    expect(checkFlowCertificate(problem, worse, certificate!).length).toBeGreaterThan(0)
    expect(plan.totals.filled).toBeGreaterThan(0)
    for (const c of plan.cases) if (!c.fullyStaffed) expect(c.messages.length).toBeGreaterThan(0)
  }, 60_000)

  it('is deterministic: the same plan whatever the input order', async () => {
    const a = await solve(input)
    const rng = prng(3)
    const shuffle = <T>(list: readonly T[]) => {
      const out = [...list]
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(rng() * (i + 1))
        ;[out[i], out[j]] = [out[j]!, out[i]!]
      }
      return out
    }
    const b = await solve({ ...input, cases: shuffle(cases), experts: shuffle(experts) })
    expect(b.cases).toEqual(a.cases)
    expect(b.experts).toEqual(a.experts)
    expect(b.totals).toEqual(a.totals)
  }, 60_000)

  it('matches the LP optimum (HiGHS) on a medium instance: the flow formulation is exact', async () => {
    const mediumExperts = generateExperts(prng(8), 600, { asOf, regions, organisations, capacity: [0, 2] })
    const mediumCases = generateCases(prng(9), 150, {
      asOf,
      regions,
      organisations,
      k: [1, 3],
      ruleRate: 0.5,
      expertIds: mediumExperts.map((e) => e.id),
    })
    const medium: BatchInput = { cases: mediumCases, experts: mediumExperts, asOf }
    const problem = prepareBatch(medium)
    const flow = solveByFlow(problem)
    const plan = await solve(medium)
    const lp = await solveModelInWorker({ model: buildAssignmentModel(problem, false), timeLimitSeconds: 60 })
    expect(lp.status).toBe('optimal')
    let filled = 0
    for (const x of flow.chosen) filled += x
    expect(lp.filled).toBeCloseTo(filled, 6)
    // The LP optimum of stage 2 covers only the new pairs; add the locked score/cost the plan counts.
    expect(Math.abs(lp.objective - (plan.totals.objectiveUnits - lockedPart(medium, plan)))).toBeLessThan(1)
  }, 60_000)

  it('violates no constraint with crossing rules (MIP path) on a medium instance', async () => {
    const ex = generateExperts(prng(10), 400, { asOf, regions, organisations, capacity: [0, 2] })
    const cs = generateCases(prng(11), 80, { asOf, regions, organisations, k: [1, 3], twoRuleRate: 0.5, expertIds: ex.map((e) => e.id) })
    const medium: BatchInput = { cases: cs, experts: ex, asOf }
    const plan = await solve(medium)
    expect(plan.solver.method).toBe('mip')
    expect(plan.solver.nonLaminarCaseIds.length).toBeGreaterThan(0)
    expectValid(medium, plan)
  }, 60_000)
})

/** No locks in generated instances: nothing to subtract. Kept explicit for clarity. */
function lockedPart(input: BatchInput, _plan: BatchPlan): number {
  expect(input.cases.every((c) => c.lockedExpertIds.length === 0)).toBe(true)
  return 0
}

describe('objective', () => {
  it('fills the most slots before it maximises the score', async () => {
    // x fits both cases and is much better for B; y fits only B. Best single pair B–x, but then A stays empty.
    const x = makeExpert({ id: 'x', maxConcurrentCases: 1 })
    const y = makeExpert({
      id: 'y',
      maxConcurrentCases: 1,
      domains: [{ disputeType: '合同', role: 'secondary' }],
      ratings: { count: 50, sum: 60 },
    })
    const a = makeCase({ id: 'A', domains: [] })
    const b = makeCase({ id: 'B', domains: ['合同'] })
    const plan = await solve({ cases: [a, b], experts: [x, y], asOf })
    expect(plan.cases.map((c) => [c.caseId, c.assigned.map((e) => e.expertId)])).toEqual([
      ['A', ['x']],
      ['B', ['y']],
    ])
  })

  it('spreads work evenly: convex load costs prefer two experts with one case each', async () => {
    const experts = [makeExpert({ id: 'p', maxConcurrentCases: 2 }), makeExpert({ id: 'q', maxConcurrentCases: 2 })]
    const plan = await solve({ cases: [makeCase({ id: 'A' }), makeCase({ id: 'B' })], experts, asOf })
    expect(plan.experts.map((e) => [e.expertId, e.newCaseIds.length])).toEqual([
      ['p', 1],
      ['q', 1],
    ])
  })

  it('keeps the slots a rule reserves: at most k − r experts may lack the attribute', async () => {
    const lawyers = ['l1', 'l2', 'l3'].map((id) => makeExpert({ id, professions: ['law'] }))
    const kase = makeCase({ expertsNeeded: 2, requirements: [{ kind: 'profession', profession: 'medicine' }] })
    const plan = await solve({ cases: [kase], experts: lawyers, asOf })
    const c = plan.cases[0]!
    expect(c.filled).toBe(1)
    expect(c.reasons).toEqual([{ code: 'ruleUnsatisfiable', requirement: kase.requirements[0], available: 0, needed: 1 }])
    expect(c.messages[0]).toMatch(/^matching\.shortfall\.ruleUnsatisfiable\?/)
    const doctor = makeExpert({ id: 'd1', ratings: { count: 1, sum: 1 } })
    const staffed = await solve({ cases: [kase], experts: [...lawyers, doctor], asOf })
    expect(staffed.cases[0]!.assigned.map((e) => e.expertId).sort()).toEqual(['d1', 'l1'])
  })
})

describe('cases that cannot be fully staffed say why', () => {
  const one = async (kase: MatchCase, experts: MatchExpert[]) => (await solve({ cases: [kase], experts, asOf })).cases[0]!

  it('no expert in the domain', async () => {
    const c = await one(makeCase({ disputeType: '知识产权', parentCategory: null }), [makeExpert()])
    expect(c.reasons).toEqual([{ code: 'noExpertInDomain', disputeType: '知识产权' }])
    expect(c.messages).toEqual([`matching.shortfall.noExpertInDomain?type=${encodeURIComponent('知识产权')}`])
  })

  it('no expert in the region line', async () => {
    const c = await one(makeCase(), [makeExpert({ regionCode: HAIDIAN.code, regionPath: HAIDIAN.path })])
    expect(c.reasons).toEqual([{ code: 'noExpertInRegion', disputeType: '医疗', regionCode: '110105' }])
  })

  it('everyone fitting is excluded, grouped by reason', async () => {
    const c = await one(makeCase({ partyOrganisations: [{ id: 'org-hospital-a', name: '北京市第一医院' }] }), [
      makeExpert({ id: 'a' }),
      makeExpert({ id: 'b' }),
      makeExpert({ id: 'c', status: 'suspended', employerOrgId: null, employerName: '别处' }),
    ])
    expect(c.reasons).toHaveLength(1)
    const reason = c.reasons[0]!
    expect(reason.code).toBe('noEligibleExpert')
    if (reason.code !== 'noEligibleExpert') return
    expect(reason.excluded.groups.map((g) => [g.family, g.count])).toEqual([
      ['conflict', 2],
      ['availability', 1],
    ])
  })

  it('all eligible experts at capacity, too few eligible', async () => {
    expect((await one(makeCase(), [makeExpert({ activeCases: 3 })])).reasons).toEqual([{ code: 'allEligibleAtCapacity', eligible: 1 }])
    expect((await one(makeCase({ expertsNeeded: 3 }), [makeExpert({ id: 'a' }), makeExpert({ id: 'b', activeCases: 3 })])).reasons).toEqual(
      [{ code: 'tooFewEligible', eligible: 1, needed: 3 }],
    )
  })

  it('capacity taken by other cases in the optimum', async () => {
    const plan = await solve({
      cases: [makeCase({ id: 'A' }), makeCase({ id: 'B' })],
      experts: [makeExpert({ maxConcurrentCases: 1 })],
      asOf,
    })
    const short = plan.cases.find((c) => !c.fullyStaffed)!
    expect(short.reasons).toEqual([{ code: 'capacityUsedByOtherCases', couldFillAlone: 1, competingCases: 1 }])
    expect(plan.totals).toMatchObject({ slots: 2, filled: 1, unfilled: 1, casesShort: 1 })
  })
})

describe('locked picks', () => {
  it('keeps valid locks and rejects the others with the reason', async () => {
    const experts = [
      makeExpert({ id: 'ok' }),
      makeExpert({ id: 'conflicted', employerOrgId: 'org-party' }),
      makeExpert({ id: 'full', maxConcurrentCases: 1 }),
      makeExpert({ id: 'spare' }),
      makeExpert({ id: 'extra' }),
    ]
    const cases = [
      makeCase({ id: 'A', expertsNeeded: 1, lockedExpertIds: ['full'] }),
      makeCase({
        id: 'B',
        expertsNeeded: 2,
        partyOrganisations: [{ id: 'org-party', name: '某公司' }],
        lockedExpertIds: ['ok', 'ok', 'conflicted', 'ghost', 'full', 'spare', 'extra'],
      }),
    ]
    const input = { cases, experts, asOf }
    const plan = await solve(input)
    expectValid(input, plan)
    expect(plan.rejectedLocks.map((r) => [r.caseId, r.expertId, r.reason])).toEqual([
      ['B', 'ok', 'duplicate'],
      ['B', 'conflicted', 'ineligible'],
      ['B', 'ghost', 'unknownExpert'],
      ['B', 'full', 'capacity'],
      ['B', 'extra', 'exceedsExpertsNeeded'],
    ])
    expect(plan.rejectedLocks[1]!.exclusions).toEqual([{ code: 'conflict.partyOrganisation', orgName: '某公司' }])
    const b = plan.cases.find((c) => c.caseId === 'B')!
    expect(b.assigned.map((a) => [a.expertId, a.locked])).toEqual([
      ['ok', true],
      ['spare', true],
    ])
    expect(b.reasons).toEqual([{ code: 'rejectedLocks', count: 5 }])
  })

  it('reports locks that break a rule, staffed or not', async () => {
    const lawyer = makeExpert({ id: 'l', professions: ['law'] })
    // k = 2 with "≥ 2 医学" and a lawyer locked: the rule is broken by the lock; the free slot goes to a doctor.
    const k2 = makeCase({
      expertsNeeded: 2,
      lockedExpertIds: ['l'],
      requirements: [{ kind: 'profession', profession: 'medicine', atLeast: 2 }],
    })
    const plan = await solve({
      cases: [k2],
      experts: [lawyer, makeExpert({ id: 'd' }), makeExpert({ id: 'l2', professions: ['law'] })],
      asOf,
    })
    const c = plan.cases[0]!
    expect(c.assigned.map((a) => [a.expertId, a.locked])).toEqual([
      ['l', true],
      ['d', false],
    ])
    expect(c.fullyStaffed).toBe(true)
    expect(c.reasons).toEqual([{ code: 'lockConflictsWithRule', requirement: k2.requirements[0] }])
    // Nobody else at all: short, with both facts.
    const alone = await solve({ cases: [k2], experts: [lawyer], asOf })
    expect(alone.cases[0]!.reasons.map((r) => r.code)).toEqual(['lockConflictsWithRule', 'noEligibleExpert'])
  })
})

describe('crossing rules', () => {
  it('says so on every short case when the MIP stops at its time limit', async () => {
    const experts = [makeExpert({ id: 'only', maxConcurrentCases: 1 })]
    const cases = [0, 1].map((i) =>
      makeCase({
        id: `C${i}`,
        expertsNeeded: 2,
        requirements: [
          { kind: 'profession', profession: 'medicine' },
          { kind: 'minTier', tier: 'district' },
        ],
      }),
    )
    const timeLimited: ModelSolver = async (request) => ({ ...(await solveModelInWorker(request)), status: 'timeLimit' })
    const plan = await planBatch({ cases, experts, asOf }, { modelSolver: timeLimited, forceMip: true })
    expect(plan.solver).toMatchObject({ method: 'mip', optimal: false, status: 'timeLimit' })
    for (const c of plan.cases) expect(c.reasons.at(-1)).toEqual({ code: 'solverNotProven', status: 'timeLimit' })
    expectValid({ cases, experts, asOf }, plan)
  })

  it('need the model solver, and say so when it is missing', async () => {
    // Medical experts on both sides of the tier line make "≥1 医学" and "≥1 市级+" cross.
    const experts = [
      makeExpert({ id: 'dm', tier: 'municipal', regionCode: BEIJING.code, regionPath: BEIJING.path }),
      makeExpert({ id: 'dd' }),
      makeExpert({ id: 'lm', tier: 'municipal', regionCode: BEIJING.code, regionPath: BEIJING.path, professions: ['law'] }),
      makeExpert({ id: 'ld', professions: ['law'] }),
    ]
    const kase = makeCase({
      expertsNeeded: 2,
      requirements: [
        { kind: 'profession', profession: 'medicine' },
        { kind: 'minTier', tier: 'municipal' },
      ],
    })
    await expect(planBatch({ cases: [kase], experts, asOf })).rejects.toThrow(/needs a modelSolver.*crossing rules/)
    const plan = await solve({ cases: [kase], experts, asOf })
    expect(plan.solver).toMatchObject({ method: 'mip', optimal: true, nonLaminarCaseIds: ['case1'] })
    const team = plan.cases[0]!.assigned.map((a) => a.expertId).sort()
    // Both rules hold with two experts: a medical one and a municipal one (possibly the same).
    expect(team.length).toBe(2)
    expect(team.some((id) => id.startsWith('d'))).toBe(true)
    expect(team.some((id) => id.endsWith('m'))).toBe(true)
  })
})

describe('the independent plan check', () => {
  it('catches an ineligible expert, an overloaded expert, a broken rule and a wrong total', async () => {
    const experts = [
      makeExpert({ id: 'a', maxConcurrentCases: 1 }),
      makeExpert({ id: 'b', professions: ['law'] }),
      makeExpert({ id: 'c', status: 'retired' }),
    ]
    const cases = [makeCase({ id: 'A' }), makeCase({ id: 'B', requirements: [{ kind: 'profession', profession: 'medicine' }] })]
    const input = { cases, experts, asOf }
    const plan = await solve(input)
    expect(checkPlan(input, plan).violations).toEqual([])
    const tampered = (change: (p: BatchPlan) => void) => {
      const copy: BatchPlan = structuredClone(plan)
      change(copy)
      return checkPlan(input, copy).violations
    }
    const entry = (id: string) => ({ ...plan.cases[0]!.assigned[0]!, expertId: id })
    expect(tampered((p) => p.cases[0]!.assigned.splice(0, 1, entry('c'))).join()).toMatch(/c ineligible \(status\.inactive\)/)
    expect(tampered((p) => p.cases.forEach((c) => c.assigned.splice(0, c.assigned.length, entry('a')))).join()).toMatch(
      /expert a: 0 \+ 2 > capacity 1/,
    )
    expect(tampered((p) => p.cases[1]!.assigned.splice(0, 1, entry('b'))).join()).toMatch(/case B: rule 0 broken/)
    expect(
      tampered((p) => {
        p.totals.objectiveUnits += 1
      }).join(),
    ).toMatch(/objectiveUnits/)
  })
})
