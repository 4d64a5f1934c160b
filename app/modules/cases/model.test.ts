import { describe, expect, it } from 'vitest'
import { canMove, dueDate, formatCaseNumber, isOverdue, orgAbbreviation, subsidyPeriod } from './model.ts'

describe('case model', () => {
  it('formats the case number with the organisation’s short name', () => {
    expect(orgAbbreviation('海淀区', '海淀区中关村街道人民调解委员会')).toBe('海中关村')
    expect(orgAbbreviation('海淀区', '海淀区劳动争议人民调解委员会')).toBe('海劳动争议')
    expect(formatCaseNumber(2026, '海中关村', 12)).toBe('（2026）海中关村人调字第 12 号')
  })

  it('moves only along the lifecycle', () => {
    expect(canMove('registered', 'accepted')).toBe(true)
    expect(canMove('registered', 'succeeded')).toBe(false)
    expect(canMove('consulting', 'failed')).toBe(true)
    expect(canMove('closed', 'archived')).toBe(true)
    expect(canMove('archived', 'closed')).toBe(false)
  })

  it('flags open cases past the one-month limit', () => {
    const due = dueDate('2026-10-01T02:00:00.000Z', null)
    expect(due).toBe('2026-10-31')
    expect(dueDate('2026-10-01T02:00:00.000Z', '2026-10-10T02:00:00.000Z')).toBe('2026-11-09')
    expect(isOverdue('mediating', due, '2026-11-01')).toBe(true)
    expect(isOverdue('closed', due, '2026-11-01')).toBe(false)
    expect(isOverdue('accepted', due, '2026-10-31')).toBe(false)
  })

  it('reads the subsidy period, defaulting to this month', () => {
    expect(subsidyPeriod(new URLSearchParams(''), '2026-11-23')).toEqual({ from: '2026-11-01', to: '2026-11-23' })
    expect(subsidyPeriod(new URLSearchParams('from=2026-01-01&to=bad'), '2026-11-23')).toEqual({ from: '2026-01-01', to: '2026-11-23' })
  })
})
