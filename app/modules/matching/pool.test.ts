import { describe, expect, it } from 'vitest'
import { caseContext, coversDomain } from './constraints.ts'
import { makeCase, makeExpert } from './fixtures.ts'
import { generateCases, generateExperts, makeOrganisations, makeRegions, prng } from './generate.ts'
import { ExpertPool } from './pool.ts'

describe('expert pool index', () => {
  it('finds exactly the experts in the region line who cover the domain, both ways', () => {
    const rng = prng(4)
    const regions = makeRegions(3, 3, 3)
    const organisations = makeOrganisations(50)
    const experts = generateExperts(rng, 3000, { asOf: '2026-11-23', regions, organisations })
    const cases = generateCases(rng, 40, { asOf: '2026-11-23', regions, organisations })
    const pool = new ExpertPool(experts)
    for (const kase of cases) {
      const ctx = caseContext(kase)
      const expected = experts
        .map((e, i) => [e, i] as const)
        .filter(([e]) => coversDomain(e, ctx) && (e.regionPath === null || kase.regionPath.startsWith(e.regionPath)))
        .map(([, i]) => i)
      const found = pool.candidates(kase, ctx.category)
      expect([...found.candidates]).toEqual(expected)
      expect([...pool.candidatesOnly(kase, ctx.category)]).toEqual(expected)
      expect(found.inRegionLine).toBe(experts.filter((e) => e.regionPath === null || kase.regionPath.startsWith(e.regionPath)).length)
      expect(found.inDomain).toBe(experts.filter((e) => coversDomain(e, ctx)).length)
    }
  })

  it('refuses malformed region paths and duplicate ids', () => {
    expect(() => new ExpertPool([makeExpert({ regionPath: '/110000/110105' })])).toThrow(/region path/)
    expect(() => new ExpertPool([makeExpert(), makeExpert()])).toThrow(/Duplicate/)
    expect(() => new ExpertPool([makeExpert()]).candidates(makeCase({ regionPath: '110000/' }), null)).toThrow(/region path/)
  })
})
