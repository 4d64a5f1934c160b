import { describe, expect, it } from 'vitest'
import { idNumberCheckChar } from '#app/lib/personal-numbers.ts'
import { translate } from '#app/lib/i18n.ts'
import { ageFrom, contradictions, fillFromIdNumber } from './identity.ts'
import { EMPLOYMENTS, GENDERS, MEDIATOR_STATUSES, employmentLabel, genderLabel, mediatorStatusLabel } from './labels.ts'

function idNumber(first17: string): string {
  return first17 + idNumberCheckChar(first17)
}

// Born 1985-06-15; order code 123 (odd: male) / 124 (even: female).
const MAN = idNumber('11010819850615123')
const WOMAN = idNumber('11010819850615124')

describe('fillFromIdNumber', () => {
  it('fills blank gender and birth date from the ID number', () => {
    expect(fillFromIdNumber(MAN, {})).toEqual({ gender: 'male', birthDate: '1985-06-15' })
    expect(fillFromIdNumber(WOMAN, {})).toEqual({ gender: 'female', birthDate: '1985-06-15' })
  })

  it('keeps given values and ignores invalid or missing ID numbers', () => {
    expect(fillFromIdNumber(MAN, { birthDate: '1985-06-15', gender: 'male' })).toEqual({ gender: 'male', birthDate: '1985-06-15' })
    expect(fillFromIdNumber(`${MAN.slice(0, 17)}Z`, {})).toEqual({})
    expect(fillFromIdNumber(undefined, { gender: 'female' })).toEqual({ gender: 'female' })
  })
})

describe('contradictions', () => {
  it('names the fields that disagree with the ID number', () => {
    expect(contradictions(MAN, { birthDate: '1985-06-15', gender: 'male' })).toEqual([])
    expect(contradictions(MAN, { birthDate: '1985-06-16', gender: 'female' })).toEqual(['birthDate', 'gender'])
    expect(contradictions(undefined, { birthDate: '1985-06-16' })).toEqual([])
  })
})

describe('ageFrom', () => {
  it('counts whole years on the given day', () => {
    expect(ageFrom('1985-06-15', '2026-06-14')).toBe(40)
    expect(ageFrom('1985-06-15', '2026-06-15')).toBe(41)
    expect(ageFrom('2000-02-29', '2026-02-28')).toBe(25)
    expect(ageFrom('2000-02-29', '2026-03-01')).toBe(26)
  })

  it('gives null without a birth date or for a birth date after the day', () => {
    expect(ageFrom(null, '2026-01-01')).toBeNull()
    expect(ageFrom('2030-01-01', '2026-01-01')).toBeNull()
  })
})

describe('people labels', () => {
  it('names genders, employment and statuses in both languages', () => {
    expect(EMPLOYMENTS.map((e) => translate('zh-CN', employmentLabel(e)))).toEqual(['专职', '兼职'])
    expect(EMPLOYMENTS.map((e) => translate('en', employmentLabel(e)))).toEqual(['Full-time', 'Part-time'])
    expect(GENDERS.map((g) => translate('zh-CN', genderLabel(g)))).toEqual(['男', '女'])
    expect(MEDIATOR_STATUSES.map((s) => translate('zh-CN', mediatorStatusLabel(s)))).toEqual(['在岗', '离岗'])
  })
})
