import { describe, expect, it } from 'vitest'
import { checkEligibility, maskOf } from './constraints.ts'
import { BEIJING, HAIDIAN, makeCase, makeExpert } from './fixtures.ts'
import { type Rng, generateCases, generateExperts, makeOrganisations, makeRegions, prng } from './generate.ts'
import { ExpertPool } from './pool.ts'
import { recommend } from './recommend.ts'
import { scorePair } from './score.ts'
import type { MatchCase, MatchExpert } from './types.ts'

const asOf = '2026-11-23'

function world(seed: number, experts = 3000, cases = 30) {
  const rng: Rng = prng(seed)
  const regions = makeRegions(2, 3, 3)
  const organisations = makeOrganisations(120)
  const pool = generateExperts(rng, experts, { asOf, regions, organisations, conflictRate: 0.1 })
  const list = generateCases(rng, cases, {
    asOf,
    regions,
    organisations,
    expertIds: pool.map((e) => e.id),
    neutralityRate: 0.2,
    ruleRate: 0.5,
  })
  return { experts: pool, cases: list }
}

describe('recommend one case', () => {
  it('lists the best eligible experts in score order, with components, totals and reasons', () => {
    const experts = [
      makeExpert({ id: 'a', ratings: { count: 10, sum: 50 } }),
      makeExpert({ id: 'b', domains: [{ disputeType: '医疗', role: 'secondary' }] }),
      makeExpert({ id: 'c' }),
      makeExpert({ id: 'd', status: 'retired' }),
    ]
    const result = recommend(makeCase(), experts)
    expect(result.candidates.map((c) => c.expertId)).toEqual(['a', 'c', 'b'])
    expect(result.candidates.map((c) => c.rank)).toEqual([1, 2, 3])
    const first = result.candidates[0]!
    expect(first.total).toBeCloseTo(scorePair(experts[0]!, makeCase()).total, 12)
    expect(Object.keys(first.components).sort()).toEqual(['domain', 'load', 'proximity', 'rating', 'rotation', 'tier'])
    expect(first.reasons[0]).toMatch(/^matching\.reason\.primaryDomain\?type=/)
    expect(result.eligibleCount).toBe(3)
    expect(result.excluded.total).toBe(1)
  })

  it('breaks ties by expert id and honours the limit', () => {
    const experts = ['e5', 'e3', 'e9', 'e1'].map((id) => makeExpert({ id }))
    expect(recommend(makeCase(), experts, { limit: 3 }).candidates.map((c) => c.expertId)).toEqual(['e1', 'e3', 'e5'])
  })

  it('groups the excluded experts by reason, counting outsiders by domain and region line', () => {
    const experts = [
      makeExpert({ id: 'ok' }),
      makeExpert({ id: 'conflicted1', employerOrgId: 'org-party' }),
      makeExpert({ id: 'conflicted2', conflicts: { orgIds: ['org-party'], orgNames: [], personIdHashes: [] } }),
      makeExpert({ id: 'busy', activeCases: 3 }),
      makeExpert({ id: 'lawyer', domains: [{ disputeType: '合同', role: 'primary' }] }),
      makeExpert({ id: 'haidian', regionPath: HAIDIAN.path, regionCode: HAIDIAN.code }),
      makeExpert({
        id: 'haidianLawyer',
        regionPath: HAIDIAN.path,
        regionCode: HAIDIAN.code,
        domains: [{ disputeType: '合同', role: 'primary' }],
      }),
    ]
    const result = recommend(makeCase({ partyOrganisations: [{ id: 'org-party', name: '某医院' }] }), experts)
    expect(result.candidates.map((c) => c.expertId)).toEqual(['ok'])
    const byFamily = Object.fromEntries(result.excluded.groups.map((g) => [g.family, g.count]))
    expect(byFamily).toEqual({ conflict: 2, availability: 1, domain: 2, tier: 2 })
    expect(result.excluded.total).toBe(6)
    const conflict = result.excluded.groups.find((g) => g.family === 'conflict')!
    expect(conflict.message).toBe('matching.excludedGroup.conflict?count=2')
    expect(conflict.codes.map((c) => [c.code, c.count, c.expertIds])).toEqual([
      ['conflict.declaredOrganisation', 1, ['conflicted2']],
      ['conflict.partyOrganisation', 1, ['conflicted1']],
    ])
    const domain = result.excluded.groups.find((g) => g.family === 'domain')!
    expect(domain.codes[0]).toMatchObject({ code: 'domain.notCovered', count: 2, onlyReason: 1 })
  })

  it('agrees with checkEligibility on every expert of generated pools (the pre-filter loses nobody)', () => {
    const { experts, cases } = world(11)
    const pool = new ExpertPool(experts)
    for (const kase of cases) {
      const result = recommend(kase, pool, { limit: 10_000 })
      const eligible = experts.filter((e) => checkEligibility(e, kase).eligible && !kase.lockedExpertIds.includes(e.id))
      expect(result.eligibleCount).toBe(eligible.length)
      expect(new Set(result.candidates.map((c) => c.expertId))).toEqual(new Set(eligible.map((e) => e.id)))
      // Exact counts for the constraints every outsider is judged on.
      const expected = { domain: 0, region: 0 }
      for (const e of experts) {
        const r = checkEligibility(e, kase)
        if (r.eligible) continue
        const mask = maskOf(r.reasons)
        if (mask & (1 << 6)) expected.domain++
        if (mask & (1 << 7)) expected.region++
      }
      const count = (code: string) => result.excluded.groups.flatMap((g) => g.codes).find((c) => c.code === code)?.count ?? 0
      expect(count('domain.notCovered')).toBe(expected.domain)
      expect(count('region.outsideHierarchy')).toBe(expected.region)
      expect(result.excluded.total + result.eligibleCount).toBe(experts.length)
      // Sorted by total, ties by id.
      for (let i = 1; i < result.candidates.length; i++) {
        const a = result.candidates[i - 1]!
        const b = result.candidates[i]!
        expect(a.total > b.total || (a.total === b.total && a.expertId < b.expertId)).toBe(true)
      }
    }
  }, 30_000) // a property test over generated pools: seconds on a busy machine

  it('gives the same answer from an array and from a kept pool', () => {
    const { experts, cases } = world(12, 800, 5)
    const pool = new ExpertPool(experts)
    for (const kase of cases) expect(recommend(kase, experts)).toEqual(recommend(kase, pool))
  })

  it('leaves locked picks out of the list and counts them towards the requirements', () => {
    const experts = [makeExpert({ id: 'a', professions: ['law'] }), makeExpert({ id: 'b' }), makeExpert({ id: 'c', professions: ['law'] })]
    const kase = makeCase({ expertsNeeded: 2, lockedExpertIds: ['b'], requirements: [{ kind: 'profession', profession: 'medicine' }] })
    const result = recommend(kase, experts)
    expect(result.lockedExpertIds).toEqual(['b'])
    expect(result.candidates.map((c) => c.expertId)).toEqual(['a', 'c'])
    expect(result.requirements).toEqual([
      {
        requirement: kase.requirements[0],
        eligible: 0,
        locked: 1,
        message: 'matching.requirement.profession?profession=medicine&atLeast=1',
      },
    ])
    expect(result.candidates[0]!.meetsRequirements).toEqual([false])
  })

  it('puts a met requirement first among the reasons', () => {
    const kase = makeCase({ requirements: [{ kind: 'minTier', tier: 'municipal' }] })
    const municipal = makeExpert({ id: 'm', tier: 'municipal', regionCode: BEIJING.code, regionPath: BEIJING.path })
    const result = recommend(kase, [municipal, makeExpert({ id: 'd' })])
    const m = result.candidates.find((c) => c.expertId === 'm')!
    expect(m.reasons[0]).toBe('matching.reason.tierAtLeast?tier=municipal')
    expect(m.meetsRequirements).toEqual([true])
  })
})

describe('diversification', () => {
  const orgExperts = (spec: [string, string, number][]): MatchExpert[] =>
    spec.map(([id, org, rating]) => makeExpert({ id, organisationId: org, ratings: { count: 50, sum: 50 * rating } }))

  it('caps each organisation among the first picks and defers the rest, keeping score order', () => {
    const experts = orgExperts([
      ['a1', 'A', 5],
      ['a2', 'A', 4.9],
      ['a3', 'A', 4.8],
      ['b1', 'B', 4],
      ['c1', 'C', 3],
    ])
    const kase = makeCase({ expertsNeeded: 3 })
    expect(recommend(kase, experts).candidates.map((c) => c.expertId)).toEqual(['a1', 'a2', 'a3', 'b1', 'c1'])
    const diverse = recommend(kase, experts, { diversify: { maxPerOrganisation: 1 } }).candidates
    expect(diverse.map((c) => c.expertId)).toEqual(['a1', 'b1', 'c1', 'a2', 'a3'])
    expect(diverse.map((c) => c.deferredForDiversity)).toEqual([false, false, false, true, true])
    const two = recommend(kase, experts, { diversify: { maxPerOrganisation: 2 } }).candidates
    expect(two.map((c) => c.expertId)).toEqual(['a1', 'a2', 'b1', 'a3', 'c1'])
  })

  it('counts locked picks towards the cap', () => {
    const experts = orgExperts([
      ['a0', 'A', 2],
      ['a1', 'A', 5],
      ['b1', 'B', 4],
    ])
    const kase = makeCase({ expertsNeeded: 2, lockedExpertIds: ['a0'] })
    expect(recommend(kase, experts, { diversify: { maxPerOrganisation: 1 } }).candidates.map((c) => c.expertId)).toEqual(['b1', 'a1'])
  })

  it('greedy finds the best-scoring diverse team (partition matroid), checked by brute force', () => {
    const rng = prng(99)
    for (let round = 0; round < 200; round++) {
      const n = 3 + Math.floor(rng() * 6)
      const experts = Array.from({ length: n }, (_, i) =>
        makeExpert({
          id: `e${i}`,
          organisationId: `O${Math.floor(rng() * 3)}`,
          ratings: { count: 20, sum: Math.round(20 * (1 + 4 * rng())) },
        }),
      )
      const k = 1 + Math.floor(rng() * 3)
      const cap = 1 + Math.floor(rng() * 2)
      const kase: MatchCase = makeCase({ expertsNeeded: k })
      const picks = recommend(kase, experts, { diversify: { maxPerOrganisation: cap }, limit: k }).candidates
      const total = (ids: string[]) => ids.reduce((s, id) => s + scorePair(experts.find((e) => e.id === id)!, kase).total, 0)
      let best = 0
      let bestSize = 0
      const walk = (from: number, chosen: MatchExpert[]) => {
        const counts = new Map<string, number>()
        for (const e of chosen) counts.set(e.organisationId!, (counts.get(e.organisationId!) ?? 0) + 1)
        if ([...counts.values()].some((v) => v > cap)) return
        const t = total(chosen.map((e) => e.id))
        if (chosen.length > bestSize || (chosen.length === bestSize && t > best + 1e-12)) {
          best = t
          bestSize = chosen.length
        }
        if (chosen.length === k) return
        for (let i = from; i < experts.length; i++) walk(i + 1, [...chosen, experts[i]!])
      }
      walk(0, [])
      const chosen = picks.filter((c) => !c.deferredForDiversity).map((c) => c.expertId)
      expect(chosen.length).toBe(bestSize)
      expect(total(chosen)).toBeCloseTo(best, 10)
    }
  })
})
