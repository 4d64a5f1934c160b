import { describe, expect, it } from 'vitest'
import { formatDate, formatDateTime, formatNumber } from './i18n.ts'

// The formatters are made once per locale and reused: the answers must not depend on which
// locale or kind asked first.
describe('date and number formatting', () => {
  it('formats dates in China time for each locale, in any order', () => {
    expect(formatDate('en', '2026-11-23')).toBe('23 Nov 2026')
    expect(formatDate('zh-CN', '2026-11-23')).toBe('2026年11月23日')
    expect(formatDate('en', '2026-11-23')).toBe('23 Nov 2026')
    // 20:30 UTC is the next morning in Beijing.
    expect(formatDate('zh-CN', '2026-11-23T20:30:00Z')).toBe('2026年11月24日')
    expect(formatDate('zh-CN', null)).toBe('')
    expect(formatDate('en', '')).toBe('')
  })

  it('formats date-times and numbers per locale', () => {
    expect(formatDateTime('zh-CN', '2026-11-23T20:30:00Z')).toBe('2026/11/24 04:30')
    expect(formatDateTime('en', '2026-11-23T20:30:00Z')).toBe('24/11/2026, 04:30')
    expect(formatDateTime('en', undefined)).toBe('')
    expect(formatNumber('en', 12345.5)).toBe('12,345.5')
    expect(formatNumber('zh-CN', 12345)).toBe('12,345')
  })
})
