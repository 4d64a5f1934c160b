import { describe, expect, it } from 'vitest'
import {
  countsByStatus,
  daysBetween,
  expiryState,
  hours,
  overdueStartBefore,
  panelsFor,
  percent,
  shiftDate,
  staleBefore,
  topCounts,
} from './panels.ts'

describe('panelsFor', () => {
  it('gives each kind of work one panel, in a fixed order', () => {
    expect(panelsFor(['mediator'])).toEqual(['mediator'])
    expect(panelsFor(['bureau_staff'])).toEqual(['staff'])
    expect(panelsFor(['org_manager', 'bureau_staff'])).toEqual(['staff'])
    expect(panelsFor(['association_admin'])).toEqual(['association'])
    expect(panelsFor(['expert', 'mediator', 'association_admin'])).toEqual(['mediator', 'association', 'expert'])
  })

  it('has no panel for roles without their own work list', () => {
    expect(panelsFor(['admin', 'security_admin', 'auditor', 'reviewer'])).toEqual([])
    expect(panelsFor([])).toEqual([])
  })
})

describe('countsByStatus', () => {
  it('fills missing statuses with zero, adds repeats and ignores unknown ones', () => {
    const out = countsByStatus(['a', 'b', 'c'] as const, [
      { status: 'a', n: 2 },
      { status: 'a', n: '3' },
      { status: 'x', n: 9 },
      { status: 'c', n: BigInt(1) },
    ])
    expect(out).toEqual({ a: 5, b: 0, c: 1 })
  })
})

describe('percent', () => {
  it('is whole, clamped, and null when nothing is expected', () => {
    expect(percent(1, 3)).toBe(33)
    expect(percent(2, 3)).toBe(66)
    expect(percent(5, 4)).toBe(100)
    expect(percent(0, 0)).toBeNull()
  })
})

describe('dates', () => {
  it('shifts and counts whole days across months and leap days', () => {
    expect(shiftDate('2028-02-28', 1)).toBe('2028-02-29')
    expect(shiftDate('2026-03-01', -1)).toBe('2026-02-28')
    expect(daysBetween('2026-12-05', '2027-03-05')).toBe(90)
    expect(daysBetween('2026-12-05', '2026-12-01')).toBe(-4)
  })

  it('counts an invitation as stale once more than the days have passed', () => {
    expect(staleBefore(new Date('2026-12-05T10:00:00.000Z'), 3)).toBe('2026-12-02T10:00:00.000Z')
  })

  it('puts the overdue cut-off where cases/model.ts isOverdue flips', () => {
    // Accepted 2026-11-05: due 2026-12-05, overdue from 2026-12-06.
    const today = '2026-12-06'
    const cutoff = overdueStartBefore(today, 30)
    expect('2026-11-05T09:00:00.000Z' < cutoff).toBe(true)
    expect('2026-11-06T00:00:00.000Z' < cutoff).toBe(false)
    expect(overdueStartBefore('2026-12-05', 30) > '2026-11-05T09:00:00.000Z').toBe(false)
  })

  it('judges expiry: expired after the last day, expiring within the warning days', () => {
    expect(expiryState('2026-12-04', '2026-12-05', 90)).toBe('expired')
    expect(expiryState('2026-12-05', '2026-12-05', 90)).toBe('expiring')
    expect(expiryState('2027-03-05', '2026-12-05', 90)).toBe('expiring')
    expect(expiryState('2027-03-06', '2026-12-05', 90)).toBe('valid')
  })
})

describe('hours and topCounts', () => {
  it('shows tenths as hours', () => {
    expect(hours(15)).toBe(1.5)
    expect(hours(0)).toBe(0)
  })

  it('keeps the largest counts, ties by key', () => {
    expect(
      topCounts(
        [
          { key: 'b', n: 2 },
          { key: 'a', n: 2 },
          { key: 'c', n: 5 },
          { key: 'd', n: 1 },
        ],
        3,
      ),
    ).toEqual([
      { key: 'c', n: 5 },
      { key: 'a', n: 2 },
      { key: 'b', n: 2 },
    ])
  })
})
