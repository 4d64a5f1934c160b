import { describe, expect, it } from 'vitest'
import { validateMatchConfig } from './config.ts'
import { DEFAULT_MATCH_CONFIG, type MatchConfig } from './types.ts'

describe('match configuration', () => {
  it('accepts the defaults', () => {
    expect(validateMatchConfig(DEFAULT_MATCH_CONFIG)).toEqual([])
  })

  it('names every out-of-range or missing number', () => {
    const bad: MatchConfig = structuredClone(DEFAULT_MATCH_CONFIG)
    bad.weights.domain = -1
    bad.domain.secondary = 1.5
    bad.tierFit.ordinary.national = Number.NaN
    bad.tierAllowed.major = { national: false, provincial: false, municipal: false, district: false }
    bad.rating.priorMean = 9
    expect(validateMatchConfig(bad)).toEqual([
      'matching.config.outOfRange?path=weights.domain&min=0&max=%E2%88%9E',
      'matching.config.outOfRange?path=domain.secondary&min=0&max=1',
      'matching.config.outOfRange?path=tierFit.ordinary.national&min=0&max=1',
      'matching.config.noTierAllowed?difficulty=major',
      'matching.config.outOfRange?path=rating.priorMean&min=1&max=5',
    ])
  })

  it('refuses weights that are all zero', () => {
    const zero: MatchConfig = { ...DEFAULT_MATCH_CONFIG, weights: { domain: 0, tier: 0, proximity: 0, rating: 0, load: 0, rotation: 0 } }
    expect(validateMatchConfig(zero)).toContain('matching.config.noWeight')
  })

  it('refuses a proximity table that rises with distance, a fractional horizon and an unbounded prior weight', () => {
    const bad: MatchConfig = structuredClone(DEFAULT_MATCH_CONFIG)
    bad.proximity = { ...bad.proximity, byLevelsUp: [0.5, 0.8, 0.4, 0.2] }
    bad.rotation.horizonDays = 30.5
    bad.rating.priorWeight = 5000
    expect(validateMatchConfig(bad)).toEqual([
      'matching.config.notDescending?path=proximity.byLevelsUp.1',
      'matching.config.outOfRange?path=rating.priorWeight&min=0&max=1000',
      'matching.config.notInteger?path=rotation.horizonDays',
    ])
  })

  it('names incomplete or out-of-range tier-fit, proximity, prior, horizon and domain values', () => {
    const bad = structuredClone(DEFAULT_MATCH_CONFIG) as MatchConfig
    ;(bad.tierFit.complex as Partial<Record<string, number>>).district = undefined
    bad.proximity = { ...bad.proximity, byLevelsUp: [1.5, 0.7, 0.4, 0.2], unrelated: -0.1 }
    bad.rotation.horizonDays = 0
    bad.domain.parentCategoryFactor = 2
    expect(validateMatchConfig(bad)).toEqual([
      'matching.config.outOfRange?path=domain.parentCategoryFactor&min=0&max=1',
      'matching.config.outOfRange?path=tierFit.complex.district&min=0&max=1',
      'matching.config.outOfRange?path=proximity.byLevelsUp.0&min=0&max=1',
      'matching.config.outOfRange?path=proximity.unrelated&min=0&max=1',
      'matching.config.outOfRange?path=rotation.horizonDays&min=1&max=3650',
    ])
  })
})
