import { describe, expect, it } from 'vitest'
import { BEIJING, CHAOYANG, HAIDIAN, PUDONG, SHANGHAI, makeCase, makeExpert } from './fixtures.ts'
import {
  SCORE_UNITS,
  addedLoadUnits,
  bayesianRating,
  buildReasons,
  domainFit,
  loadScore,
  marginalLoadUnits,
  proximity,
  ratingScore,
  rotationScore,
  scoreContext,
  scorePair,
  scoreUnits,
  tierFit,
} from './score.ts'
import { DEFAULT_MATCH_CONFIG, type ExpertDomain, type MatchCase, type MatchConfig, type MatchExpert } from './types.ts'

const ctx = (kase: MatchCase = makeCase(), config: MatchConfig = DEFAULT_MATCH_CONFIG, asOf?: string) => scoreContext(kase, config, asOf)
const withDomains = (...domains: ExpertDomain[]): MatchExpert => makeExpert({ domains })

describe('domain fit', () => {
  it('gives primary 1, secondary 0.6, a specialty bonus, and half credit for the parent category', () => {
    expect(domainFit(withDomains({ disputeType: '医疗', role: 'primary' }), ctx())).toBe(1)
    expect(domainFit(withDomains({ disputeType: '医疗', role: 'secondary' }), ctx())).toBeCloseTo(0.6)
    expect(
      domainFit(withDomains({ disputeType: '医疗', role: 'secondary' }, { disputeType: '医疗', role: 'specialty' }), ctx()),
    ).toBeCloseTo(0.8)
    expect(domainFit(withDomains({ disputeType: '医疗', role: 'specialty' }), ctx())).toBeCloseTo(0.8)
    // Capped at 1.
    expect(domainFit(withDomains({ disputeType: '医疗', role: 'primary' }, { disputeType: '医疗', role: 'specialty' }), ctx())).toBe(1)
    // Sibling under the same parent (损害赔偿), or the parent itself: half of the role's credit.
    expect(domainFit(withDomains({ disputeType: '道路交通事故', role: 'primary', parentCategory: '损害赔偿' }), ctx())).toBeCloseTo(0.5)
    expect(domainFit(withDomains({ disputeType: '损害赔偿', role: 'secondary' }), ctx())).toBeCloseTo(0.3)
    expect(domainFit(withDomains({ disputeType: '合同', role: 'primary' }), ctx())).toBe(0)
  })

  it('counts the case’s further domains, and takes the best entry', () => {
    const kase = makeCase({ domains: ['保险'] })
    expect(domainFit(withDomains({ disputeType: '保险', role: 'primary' }), ctx(kase))).toBe(1)
    expect(domainFit(withDomains({ disputeType: '保险', role: 'secondary' }, { disputeType: '医疗', role: 'primary' }), ctx(kase))).toBe(1)
  })

  it('follows the configuration', () => {
    const config = { ...DEFAULT_MATCH_CONFIG, domain: { ...DEFAULT_MATCH_CONFIG.domain, secondary: 0.4, parentCategoryFactor: 0.25 } }
    expect(domainFit(withDomains({ disputeType: '医疗', role: 'secondary' }), ctx(makeCase(), config))).toBeCloseTo(0.4)
    expect(
      domainFit(withDomains({ disputeType: '道路交通事故', role: 'primary', parentCategory: '损害赔偿' }), ctx(makeCase(), config)),
    ).toBeCloseTo(0.25)
  })
})

describe('tier fit', () => {
  it('reads the severity × tier table, with a gentle penalty for national experts on ordinary cases', () => {
    const national = makeExpert({ tier: 'national', regionCode: null, regionPath: null })
    expect(tierFit(national, ctx(makeCase({ difficulty: 'ordinary' })))).toBe(0.5)
    expect(tierFit(national, ctx(makeCase({ difficulty: 'major' })))).toBe(1)
    expect(tierFit(makeExpert(), ctx(makeCase({ difficulty: 'ordinary' })))).toBe(1)
    expect(tierFit(makeExpert(), ctx(makeCase({ difficulty: 'complex' })))).toBe(0.7)
  })
})

describe('proximity', () => {
  it('scores the same district, the city above, the province, the national tier and elsewhere', () => {
    const c = ctx(makeCase({ regionCode: '110105', regionPath: '/110000/110100/110105/' }))
    expect(proximity(makeExpert({ regionPath: '/110000/110100/110105/' }), c)).toBe(1)
    expect(proximity(makeExpert({ regionPath: '/110000/110100/' }), c)).toBe(0.7)
    expect(proximity(makeExpert({ regionPath: '/110000/' }), c)).toBe(0.4)
    expect(proximity(makeExpert({ regionPath: '/110000/110100/110108/' }), c)).toBe(0.7)
    expect(proximity(makeExpert({ regionPath: null }), c)).toBe(0.1)
    expect(proximity(makeExpert({ regionPath: PUDONG.path }), c)).toBe(0)
  })

  it('uses where the expert works when known', () => {
    const c = ctx()
    const municipal = makeExpert({ tier: 'municipal', regionCode: BEIJING.code, regionPath: BEIJING.path })
    expect(proximity(municipal, c)).toBe(0.7)
    expect(proximity({ ...municipal, workRegionPath: CHAOYANG.path }, c)).toBe(1)
    expect(proximity({ ...municipal, workRegionPath: HAIDIAN.path }, c)).toBe(0.7)
    expect(proximity({ ...municipal, regionPath: SHANGHAI.path, workRegionPath: PUDONG.path }, c)).toBe(0)
  })
})

describe('ratings', () => {
  it('uses a Bayesian average so one rating does not dominate', () => {
    const none = makeExpert()
    expect(bayesianRating(none, DEFAULT_MATCH_CONFIG)).toBe(3.5)
    expect(ratingScore(none, DEFAULT_MATCH_CONFIG)).toBeCloseTo(0.625)
    const oneFive = makeExpert({ ratings: { count: 1, sum: 5 } })
    expect(bayesianRating(oneFive, DEFAULT_MATCH_CONFIG)).toBeCloseTo((5 * 3.5 + 5) / 6)
    const manyFives = makeExpert({ ratings: { count: 100, sum: 500 } })
    expect(ratingScore(manyFives, DEFAULT_MATCH_CONFIG)).toBeGreaterThan(ratingScore(oneFive, DEFAULT_MATCH_CONFIG))
    expect(ratingScore(manyFives, DEFAULT_MATCH_CONFIG)).toBeCloseTo(((5 * 3.5 + 500) / 105 - 1) / 4)
    const oneOne = makeExpert({ ratings: { count: 1, sum: 1 } })
    expect(ratingScore(oneOne, DEFAULT_MATCH_CONFIG)).toBeGreaterThan(0.5)
  })
})

describe('load and rotation', () => {
  it('scores current load as 1 − load/capacity', () => {
    expect(loadScore(makeExpert({ activeCases: 0, maxConcurrentCases: 3 }))).toBe(1)
    expect(loadScore(makeExpert({ activeCases: 1, maxConcurrentCases: 4 }))).toBe(0.75)
    expect(loadScore(makeExpert({ activeCases: 3, maxConcurrentCases: 3 }))).toBe(0)
    expect(loadScore(makeExpert({ activeCases: 0, maxConcurrentCases: 0 }))).toBe(0)
  })

  it('lets long-idle experts rise, capped at the horizon', () => {
    const c = ctx(makeCase(), DEFAULT_MATCH_CONFIG, '2026-11-23')
    expect(rotationScore(makeExpert({ lastAssignedOn: null }), c)).toBe(1)
    expect(rotationScore(makeExpert({ lastAssignedOn: '2026-11-23' }), c)).toBe(0)
    expect(rotationScore(makeExpert({ lastAssignedOn: '2026-08-25' }), c)).toBeCloseTo(90 / 180)
    expect(rotationScore(makeExpert({ lastAssignedOn: '2025-01-01' }), c)).toBe(1)
    expect(rotationScore(makeExpert({ lastAssignedOn: '2026-12-01' }), c)).toBe(0)
  })
})

describe('total and reasons', () => {
  it('is the weighted sum of the components divided by the weight total', () => {
    const expert = makeExpert({ ratings: { count: 4, sum: 18 }, activeCases: 1, lastAssignedOn: '2026-10-24' })
    const { components, total } = scorePair(expert, makeCase())
    const w = DEFAULT_MATCH_CONFIG.weights
    const sum = w.domain + w.tier + w.proximity + w.rating + w.load + w.rotation
    const expected =
      (w.domain * components.domain +
        w.tier * components.tier +
        w.proximity * components.proximity +
        w.rating * components.rating +
        w.load * components.load +
        w.rotation * components.rotation) /
      sum
    expect(total).toBeCloseTo(expected, 12)
    for (const v of Object.values(components)) expect(v >= 0 && v <= 1).toBe(true)
    // Scaling all weights changes nothing; zeroing one removes its influence.
    const doubled = { ...DEFAULT_MATCH_CONFIG, weights: Object.fromEntries(Object.entries(w).map(([k, v]) => [k, v * 2])) as typeof w }
    expect(scorePair(expert, makeCase(), doubled).total).toBeCloseTo(total, 12)
    const domainOnly = { ...DEFAULT_MATCH_CONFIG, weights: { domain: 1, tier: 0, proximity: 0, rating: 0, load: 0, rotation: 0 } }
    expect(scorePair(expert, makeCase(), domainOnly).total).toBe(components.domain)
  })

  it('explains with message references, strongest contribution first', () => {
    const expert = makeExpert({ ratings: { count: 12, sum: 57 } })
    const c = ctx()
    const { components } = scorePair(expert, makeCase())
    const reasons = buildReasons(expert, c, components)
    expect(reasons[0]).toBe(`matching.reason.primaryDomain?type=${encodeURIComponent('医疗')}`)
    expect(reasons).toContain('matching.reason.sameRegion?region=110105')
    expect(reasons.length).toBeLessThanOrEqual(DEFAULT_MATCH_CONFIG.recommend.reasonsPerExpert)
    // A weak component is never given as a reason.
    const far = makeExpert({ tier: 'national', regionCode: null, regionPath: null, domains: [{ disputeType: '医疗', role: 'secondary' }] })
    const farReasons = buildReasons(far, c, scorePair(far, makeCase()).components)
    expect(farReasons.some((r) => r.includes('Region'))).toBe(false)
    // secondary 0.6·0.35 > national on a complex case 0.85·0.15 > light load 1·0.1 (ties: component order).
    expect(farReasons).toEqual([
      `matching.reason.secondaryDomain?type=${encodeURIComponent('医疗')}`,
      'matching.reason.tierFit?tier=national&difficulty=complex',
      'matching.reason.lightLoad?active=0&max=3',
    ])
  })
})

describe('batch units', () => {
  it('rounds totals to integer units', () => {
    expect(scoreUnits(0.5)).toBe(SCORE_UNITS / 2)
    expect(scoreUnits(1)).toBe(SCORE_UNITS)
  })

  it('makes the load cost convex: each further case costs more', () => {
    const marginals = [1, 2, 3, 4].map((load) => marginalLoadUnits(load, 4, DEFAULT_MATCH_CONFIG))
    for (let i = 1; i < marginals.length; i++) expect(marginals[i]!).toBeGreaterThan(marginals[i - 1]!)
    // Σ of marginals = penalty · L² / capacity.
    expect(addedLoadUnits(0, 3, 4, DEFAULT_MATCH_CONFIG)).toBe(Math.round((0.1 * SCORE_UNITS * 9) / 4))
    expect(addedLoadUnits(1, 2, 4, DEFAULT_MATCH_CONFIG)).toBe(
      addedLoadUnits(0, 3, 4, DEFAULT_MATCH_CONFIG) - marginalLoadUnits(1, 4, DEFAULT_MATCH_CONFIG),
    )
  })
})
