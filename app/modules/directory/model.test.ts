import { describe, expect, it } from 'vitest'
import { cursorOf, decodeCursor, encodeCursor } from '#app/lib/opaque-cursor.ts'
import {
  clampLimit,
  directoryCacheHeaders,
  expertFieldSet,
  parseDirectoryFilters,
  parseExpertFieldList,
  publishableOfficePhone,
  searchTerms,
} from './model.ts'

describe('expert public fields', () => {
  it('reads comma, Chinese comma and 、 separated names into the canonical order', () => {
    expect(parseExpertFieldList('employer、Name，tier, domains')).toEqual({ ok: true, fields: ['name', 'tier', 'domains', 'employer'] })
    expect(parseExpertFieldList('')).toEqual({ ok: true, fields: [] })
  })

  it('names the unknown fields, once each', () => {
    expect(parseExpertFieldList('name,phone,idNumber,phone')).toEqual({ ok: false, unknown: ['phone', 'idnumber'] })
  })

  it('publishes nothing from an invalid value', () => {
    expect([...expertFieldSet('name,tier')]).toEqual(['name', 'tier'])
    expect(expertFieldSet('name,phone').size).toBe(0)
  })
})

describe('directory filters from the URL', () => {
  const parse = (search: string) => parseDirectoryFilters(new URL(`http://localhost/directory${search}`))

  it('keeps valid filters', () => {
    const cursor = encodeCursor(['甲', 'X'])
    expect(parse(`?q=%20海淀%20%20物业&region=110108&kind=studio&sector=医疗&type=物业&tier=municipal&cursor=${cursor}`)).toEqual({
      q: '海淀 物业',
      region: '110108',
      kind: 'studio',
      sector: '医疗',
      disputeType: '物业',
      tier: 'municipal',
      cursor,
    })
  })

  it('drops malformed ones and kinds the directory does not list', () => {
    expect(parse('?region=1101&kind=justice_bureau&type=<b>&tier=galactic&cursor=abc!')).toEqual({
      q: '',
      region: null,
      kind: null,
      sector: null,
      disputeType: null,
      tier: null,
      cursor: null,
    })
  })

  it('folds full-width characters and cuts long queries', () => {
    expect(parse('?q=ＡＢＣ１２３').q).toBe('ABC123')
    expect(parse(`?q=${'调'.repeat(80)}`).q).toHaveLength(50)
  })
})

describe('search terms', () => {
  it('splits on spaces and Chinese punctuation, without duplicates, at most five', () => {
    expect(searchTerms('海淀，物业 海淀、调解')).toEqual(['海淀', '物业', '调解'])
    expect(searchTerms('一 二 三 四 五 六')).toHaveLength(5)
    expect(searchTerms('  ')).toEqual([])
  })
})

describe('keyset cursors', () => {
  it('round-trip Chinese text and integers', () => {
    const cursor = encodeCursor([3, '张三', '01JABCDEF'])
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(decodeCursor(cursor)).toEqual([3, '张三', '01JABCDEF'])
    expect(cursorOf(cursor, ['number', 'string', 'string'] as const)).toEqual([3, '张三', '01JABCDEF'])
  })

  it('refuse anything else', () => {
    expect(decodeCursor('')).toBeNull()
    expect(decodeCursor('not base64!')).toBeNull()
    expect(decodeCursor(encodeCursor([]))).toBeNull()
    expect(decodeCursor(btoa('{"a":1}'))).toBeNull()
    expect(decodeCursor(btoa('[1.5]').replace(/=+$/, ''))).toBeNull()
    expect(cursorOf(encodeCursor(['a', 'b']), ['number', 'string'] as const)).toBeNull()
    expect(cursorOf(encodeCursor(['a']), ['string', 'string'] as const)).toBeNull()
  })
})

describe('limits', () => {
  it('defaults to 20 and stays within 1..100', () => {
    expect(clampLimit(undefined)).toBe(20)
    expect(clampLimit(0)).toBe(1)
    expect(clampLimit(500)).toBe(100)
    expect(clampLimit(Number.NaN)).toBe(20)
  })
})

describe('office phones', () => {
  it('publishes landlines and hotlines', () => {
    expect(publishableOfficePhone('010-62345678')).toBe('010-62345678')
    expect(publishableOfficePhone('12348')).toBe('12348')
    expect(publishableOfficePhone('400-123-4567')).toBe('400-123-4567')
  })

  it('withholds mobile numbers however they are written, and empty values', () => {
    expect(publishableOfficePhone('13812345678')).toBeNull()
    expect(publishableOfficePhone('138 1234 5678')).toBeNull()
    expect(publishableOfficePhone('+86 138-1234-5678')).toBeNull()
    expect(publishableOfficePhone('  ')).toBeNull()
    expect(publishableOfficePhone(null)).toBeNull()
  })
})

describe('cache headers', () => {
  it('let shared caches keep anonymous pages, per language', () => {
    expect(directoryCacheHeaders(false)).toEqual({
      'Cache-Control': expect.stringMatching(/^public, max-age=300/),
      Vary: 'Accept-Language, Cookie',
    })
  })

  it('never store a response that sets a cookie', () => {
    expect(directoryCacheHeaders(true)).toEqual({ 'Cache-Control': 'private, no-store' })
  })
})
