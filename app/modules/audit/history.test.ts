import { describe, expect, it } from 'vitest'
import { readDetail, showValue } from './history.ts'

describe('readDetail', () => {
  it('lists changed fields with before and after, and keeps the rest as a note', () => {
    const detail = JSON.stringify({ before: { name: '王一', phone: '138****0000' }, after: { name: '王二', phone: null }, reason: '更正' })
    expect(readDetail(detail)).toEqual({
      changes: [
        { field: 'name', before: '王一', after: '王二' },
        { field: 'phone', before: '138****0000', after: '—' },
      ],
      note: '{\n  "reason": "更正"\n}',
    })
  })

  it('reads a creation (after only) and a removal (before only)', () => {
    expect(readDetail(JSON.stringify({ after: { tier: 'district' } })).changes).toEqual([{ field: 'tier', before: '—', after: 'district' }])
    expect(readDetail(JSON.stringify({ before: { grant: 'mediator' } })).changes).toEqual([
      { field: 'grant', before: 'mediator', after: '—' },
    ])
  })

  it('reads a single changed value (settings) without a field name', () => {
    expect(readDetail(JSON.stringify({ before: 70, beforeWasDefault: true, after: 65 }))).toEqual({
      changes: [{ field: '', before: '70', after: '65' }],
      note: '{\n  "beforeWasDefault": true\n}',
    })
  })

  it('passes through entries without changes, and text that is not JSON', () => {
    expect(readDetail(null)).toEqual({ changes: [], note: null })
    expect(readDetail(JSON.stringify({ permission: 'person:view' }))).toEqual({ changes: [], note: '{\n  "permission": "person:view"\n}' })
    expect(readDetail('not json')).toEqual({ changes: [], note: 'not json' })
    expect(readDetail('[1,2]')).toEqual({ changes: [], note: '[\n  1,\n  2\n]' })
  })
})

describe('showValue', () => {
  it('shows nothing as a dash and structures as JSON', () => {
    expect(showValue(undefined)).toBe('—')
    expect(showValue('')).toBe('—')
    expect(showValue(0)).toBe('0')
    expect(showValue(['a'])).toBe('["a"]')
  })
})
