import { describe, expect, it } from 'vitest'
import { allowedTransitions, canTransition, isWorkingDay, nextWorkingDay, noticeEndDate, windowState } from './rounds.ts'

describe('round transitions', () => {
  it('moves one step forward, or to cancelled from any status but the ends', () => {
    expect(allowedTransitions('draft')).toEqual(['open', 'cancelled'])
    expect(allowedTransitions('open')).toEqual(['eligibility', 'cancelled'])
    expect(allowedTransitions('eligibility')).toEqual(['scoring', 'cancelled'])
    expect(allowedTransitions('scoring')).toEqual(['notice', 'cancelled'])
    expect(allowedTransitions('notice')).toEqual(['resolved', 'cancelled'])
    expect(allowedTransitions('resolved')).toEqual(['finalised', 'cancelled'])
    expect(allowedTransitions('finalised')).toEqual([])
    expect(allowedTransitions('cancelled')).toEqual([])
  })

  it('refuses skipping and going back', () => {
    expect(canTransition('draft', 'scoring')).toBe(false)
    expect(canTransition('scoring', 'open')).toBe(false)
    expect(canTransition('finalised', 'cancelled')).toBe(false)
    expect(canTransition('notice', 'resolved')).toBe(true)
  })
})

describe('working days', () => {
  // 2026-12-04 is a Friday.
  it('knows weekends', () => {
    expect(isWorkingDay('2026-12-04')).toBe(true)
    expect(isWorkingDay('2026-12-05')).toBe(false)
    expect(isWorkingDay('2026-12-06')).toBe(false)
    expect(isWorkingDay('2026-12-07')).toBe(true)
  })

  it('the next working day skips the weekend', () => {
    expect(nextWorkingDay('2026-12-03')).toBe('2026-12-04')
    expect(nextWorkingDay('2026-12-04')).toBe('2026-12-07')
    expect(nextWorkingDay('2026-12-05')).toBe('2026-12-07')
  })

  it('a notice of N working days ends on the Nth working day, the start counting as the first', () => {
    expect(noticeEndDate('2026-12-07', 5)).toBe('2026-12-11') // Mon → Fri
    expect(noticeEndDate('2026-12-04', 5)).toBe('2026-12-10') // Fri, Mon–Thu
    expect(noticeEndDate('2026-12-05', 1)).toBe('2026-12-07') // a Saturday start begins on Monday
    expect(noticeEndDate('2026-12-28', 7)).toBe('2027-01-05') // across the year end
  })

  it('the application window includes both ends', () => {
    const round = { applications_open_on: '2026-12-01', applications_close_on: '2026-12-10' }
    expect(windowState(round, '2026-11-30')).toBe('before')
    expect(windowState(round, '2026-12-01')).toBe('within')
    expect(windowState(round, '2026-12-10')).toBe('within')
    expect(windowState(round, '2026-12-11')).toBe('after')
  })
})
