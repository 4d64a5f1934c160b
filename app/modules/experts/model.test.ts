import { describe, expect, it } from 'vitest'
import {
  codesOnPath,
  isDirectMunicipality,
  parseJsonList,
  recommendationTarget,
  splitList,
  tierAbove,
  tierFitsRegion,
  tiersForRegion,
} from './model.ts'

const BEIJING = { code: '110000', level: 'province' as const }
const HAIDIAN = { code: '110108', level: 'district' as const }
const SHANDONG = { code: '370000', level: 'province' as const }
const LINYI = { code: '371300', level: 'city' as const }
const LANSHAN = { code: '371302', level: 'district' as const }

describe('tiers and regions', () => {
  it('binds each tier to the level of the appointing body', () => {
    expect(tierFitsRegion('national', null)).toBe(true)
    expect(tierFitsRegion('national', BEIJING)).toBe(false)
    expect(tierFitsRegion('provincial', SHANDONG)).toBe(true)
    expect(tierFitsRegion('municipal', LINYI)).toBe(true)
    expect(tierFitsRegion('municipal', SHANDONG)).toBe(false)
    expect(tierFitsRegion('district', LANSHAN)).toBe(true)
    expect(tierFitsRegion('district', LINYI)).toBe(false)
    expect(tierFitsRegion('provincial', null)).toBe(false)
  })

  it('lets a province-level municipality appoint both provincial and municipal experts', () => {
    expect(isDirectMunicipality('110000')).toBe(true)
    expect(isDirectMunicipality('370000')).toBe(false)
    expect(tiersForRegion(BEIJING)).toEqual(['provincial', 'municipal'])
    expect(tiersForRegion(SHANDONG)).toEqual(['provincial'])
    expect(tiersForRegion(HAIDIAN)).toEqual(['district'])
  })

  it('recommends to the next tier at the nearest body above', () => {
    expect(tierAbove('district')).toBe('municipal')
    expect(tierAbove('national')).toBeNull()
    expect(recommendationTarget('district', [SHANDONG, LINYI, LANSHAN])).toEqual({ tier: 'municipal', regionCode: '371300' })
    expect(recommendationTarget('municipal', [SHANDONG, LINYI])).toEqual({ tier: 'provincial', regionCode: '370000' })
    expect(recommendationTarget('district', [BEIJING, HAIDIAN])).toEqual({ tier: 'municipal', regionCode: '110000' })
    expect(recommendationTarget('municipal', [BEIJING])).toEqual({ tier: 'provincial', regionCode: '110000' })
    expect(recommendationTarget('provincial', [BEIJING])).toEqual({ tier: 'national', regionCode: null })
    expect(recommendationTarget('national', [])).toBeNull()
  })
})

describe('small parsers', () => {
  it('reads codes on a path, typed lists and stored JSON lists', () => {
    expect(codesOnPath('/110000/110108/')).toEqual(['110000', '110108'])
    expect(splitList('普通话、粤语, English，普通话;')).toEqual(['普通话', '粤语', 'English'])
    expect(splitList(undefined)).toEqual([])
    expect(parseJsonList('["law",1,"medicine"]')).toEqual(['law', 'medicine'])
    expect(parseJsonList('not json')).toEqual([])
  })
})
