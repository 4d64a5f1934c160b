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
})
