import { describe, expect, it } from 'vitest'
import { DEFAULT_MATCH_CONFIG } from '#app/modules/matching/types.ts'
import { configFromForm, fieldNameOf, problemsByField, submittedValues } from './match-config-form.ts'

function formOf(values: Record<string, string>): FormData {
  const form = new FormData()
  for (const [k, v] of Object.entries(values)) form.set(k, v)
  return form
}

describe('matching-policy form', () => {
  it('reads the tables and numbers into a configuration, keeping absent new fields', () => {
    const config = configFromForm(
      DEFAULT_MATCH_CONFIG,
      formOf({
        'weight.domain': '2',
        loadPenalty: '0.3',
        'tierFit.major.district': '0.1',
        'proximity.byLevelsUp.0': '0.9',
        'proximity.unrelated': '0.05',
        'rating.priorMean': '4',
        'rating.priorWeight': '2',
        'rotation.horizonDays': '90',
        'domain.secondary': '0.5',
      }),
    )
    expect(config.weights.domain).toBe(2)
    expect(config.weights.tier).toBeNaN()
    expect(config.tierFit.major.district).toBe(0.1)
    expect(config.tierFit.ordinary.national).toBe(DEFAULT_MATCH_CONFIG.tierFit.ordinary.national)
    expect(config.proximity.byLevelsUp).toEqual([0.9, 0.7, 0.4, 0.2])
    expect(config.proximity.unrelated).toBe(0.05)
    expect(config.rating).toMatchObject({ priorMean: 4, priorWeight: 2 })
    expect(config.rotation.horizonDays).toBe(90)
    expect(config.domain.secondary).toBe(0.5)
    expect(DEFAULT_MATCH_CONFIG.tierFit.major.district).toBe(0.3)
  })

  it('turns empty or non-numeric input into NaN so the validator names the field', () => {
    const config = configFromForm(DEFAULT_MATCH_CONFIG, formOf({ 'proximity.national': '', 'rating.priorMean': 'abc' }))
    expect(config.proximity.national).toBeNaN()
    expect(config.rating.priorMean).toBeNaN()
  })

  it('maps validator problems to input names and keeps the rest form-level', () => {
    expect(fieldNameOf('weights.tier')).toBe('weight.tier')
    expect(fieldNameOf('batch.loadPenalty')).toBe('loadPenalty')
    expect(fieldNameOf('proximity.byLevelsUp.2')).toBe('proximity.byLevelsUp.2')
    const { fieldErrors, formErrors } = problemsByField([
      'matching.config.outOfRange?path=proximity.byLevelsUp.0&min=0&max=1',
      'matching.config.noWeight',
    ])
    expect(fieldErrors).toEqual({ 'proximity.byLevelsUp.0': ['matching.config.outOfRange?path=proximity.byLevelsUp.0&min=0&max=1'] })
    expect(formErrors).toEqual(['matching.config.noWeight'])
    expect(submittedValues(formOf({ 'proximity.byLevelsUp.0': '1.5' }))).toEqual({ 'proximity.byLevelsUp.0': '1.5' })
  })
})
