import { describe, expect, it } from 'vitest'
import {
  birthDateFromIdNumber,
  genderFromIdNumber,
  idNumberCheckChar,
  idNumberProblem,
  isValidPhone,
  maskIdNumber,
  maskPhone,
} from './personal-numbers.ts'

// 11010519491231002X is the example printed in GB 11643-1999 itself.
const STANDARD_EXAMPLE = '11010519491231002X'

describe('ID numbers', () => {
  it('accepts the standard example and computes its check character', () => {
    expect(idNumberProblem(STANDARD_EXAMPLE)).toBeNull()
    expect(idNumberCheckChar(STANDARD_EXAMPLE.slice(0, 17))).toBe('X')
    expect(idNumberProblem(STANDARD_EXAMPLE.toLowerCase())).toBeNull()
  })

  it('names the problem with a bad number', () => {
    expect(idNumberProblem('110105194912310021')).toBe('checksum')
    expect(idNumberProblem('11010519491331002X')).toBe('birthDate')
    expect(idNumberProblem('1101051949123100')).toBe('format')
    expect(idNumberProblem('11010519491231002Y')).toBe('format')
    expect(idNumberProblem('110105209912310020', '2026-01-01')).toBe('birthDate')
  })

  it('reads birth date and gender', () => {
    expect(birthDateFromIdNumber(STANDARD_EXAMPLE)).toBe('1949-12-31')
    expect(genderFromIdNumber(STANDARD_EXAMPLE)).toBe('female')
  })

  it('masks all but the region and the last four', () => {
    expect(maskIdNumber(STANDARD_EXAMPLE)).toBe('110105********002X')
  })
})

describe('phones', () => {
  it('validates mainland mobiles and masks the middle four', () => {
    expect(isValidPhone('13812345678')).toBe(true)
    expect(isValidPhone('+86 138-1234-5678')).toBe(true)
    expect(isValidPhone('12812345678')).toBe(false)
    expect(isValidPhone('1381234567')).toBe(false)
    expect(maskPhone('13812345678')).toBe('138****5678')
  })
})
