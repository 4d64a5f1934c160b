import { describe, expect, it } from 'vitest'
import { translate } from '#app/lib/i18n.ts'
import { chinaDayStart, instantRange, parseAuditFilters } from './filters.ts'
import { KNOWN_ACTIONS, auditActionLabel, auditResultLabel, recordTypeLabel } from './labels.ts'

const parse = (query: string) => parseAuditFilters(new URL(`http://x/audit${query}`))

describe('parseAuditFilters', () => {
  it('reads every filter and defaults to newest first', () => {
    expect(
      parse('?from=2026-11-01&to=2026-11-30&user=HD.Staff&action=person.reveal&result=denied&recordType=person&recordId=01ABC'),
    ).toEqual({
      from: '2026-11-01',
      to: '2026-11-30',
      user: 'hd.staff',
      action: 'person.reveal',
      result: 'denied',
      recordType: 'person',
      recordId: '01ABC',
      q: '',
      sort: 'at',
      dir: 'desc',
      page: 1,
      pageSize: 20,
    })
  })

  it('drops malformed values', () => {
    expect(parse('?from=2026-02-30&to=yesterday&action=DROP%20TABLE&result=maybe&recordType=Per son')).toMatchObject({
      from: null,
      to: null,
      action: null,
      result: null,
      recordType: null,
    })
  })
})

describe('China-time day ranges', () => {
  it('starts a day at 00:00 China Standard Time', () => {
    expect(chinaDayStart('2026-11-23')).toBe('2026-11-22T16:00:00.000Z')
  })

  it('includes both the first and the last day', () => {
    expect(instantRange({ from: '2026-11-23', to: '2026-11-23' })).toEqual({
      start: '2026-11-22T16:00:00.000Z',
      end: '2026-11-23T16:00:00.000Z',
    })
    expect(instantRange({ from: null, to: null })).toEqual({ start: null, end: null })
  })
})

describe('audit labels', () => {
  it('names the known actions in both languages and leaves unknown ones alone', () => {
    for (const action of KNOWN_ACTIONS) {
      const key = auditActionLabel(action)!
      expect(translate('zh-CN', key)).not.toBe(key)
      expect(translate('en', key)).not.toBe(key)
    }
    expect(translate('zh-CN', auditActionLabel('person.reveal')!)).toBe('查看完整号码')
    expect(auditActionLabel('something.new')).toBeNull()
    expect(auditActionLabel('constructor')).toBeNull()
    expect(translate('zh-CN', auditResultLabel('denied'))).toBe('拒绝')
    expect(recordTypeLabel('person')).toBe('audit.recordType.person')
    expect(recordTypeLabel('__proto__')).toBeNull()
  })
})
