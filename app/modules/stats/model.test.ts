import { describe, expect, it } from 'vitest'
import { dayAfter, filtersQuery, formatValue, parseStatsFilters } from './model.ts'

describe('statistics filters', () => {
  const parse = (qs: string) => parseStatsFilters(new URL(`http://x/stats/cases?${qs}`), '2026-12-05')
  it('defaults to the current year up to today', () => {
    expect(parse('')).toEqual({ from: '2026-01-01', to: '2026-12-05', region: null, drill: null })
  })
  it('keeps a valid period, region and drill', () => {
    expect(parse('from=2025-03-01&to=2025-06-30&region=110108&drill=quiz-basics')).toEqual({
      from: '2025-03-01',
      to: '2025-06-30',
      region: '110108',
      drill: 'quiz-basics',
    })
  })
  it('falls back on malformed or reversed periods and drops odd regions', () => {
    expect(parse('from=2026-13-01&to=x&region=%27or1')).toEqual({ from: '2026-01-01', to: '2026-12-05', region: null, drill: null })
    expect(parse('from=2026-06-01&to=2026-05-01')).toMatchObject({ from: '2026-01-01', to: '2026-12-05' })
  })
  it('writes the filters back as a query and steps days', () => {
    expect(filtersQuery({ from: '2026-01-01', to: '2026-12-05', region: '110108', drill: null })).toBe(
      'from=2026-01-01&to=2026-12-05&region=110108',
    )
    expect(dayAfter('2026-12-31')).toBe('2027-01-01')
    expect(dayAfter('2028-02-28')).toBe('2028-02-29')
  })
  it('formats values', () => {
    expect(formatValue(null, 'int')).toBe('—')
    expect(formatValue(12.5, 'pct')).toBe('12.5%')
    expect(formatValue(1234, 'int', 'en')).toBe('1,234')
  })
})
