import { describe, expect, it } from 'vitest'
import { MEDIATOR_SPECS, ORG_SPECS } from './fields.ts'
import { fromSaved, headerScore, initialMapping, mappingErrors, parseSaved, suggestMapping, toSaved } from './mapping.ts'

describe('suggestMapping', () => {
  it('maps the provincial export’s Chinese headers to organisation fields', () => {
    const headers = ['序号', '调解组织名称', '统一社会信用代码', '组织类别', '行政区划代码', '办公地址', '联系电话', '备注']
    expect(suggestMapping(headers, ORG_SPECS)).toEqual({
      code: 2,
      name: 1,
      kind: 3,
      sector: null,
      region: 4,
      address: 5,
      contactPhone: 6,
    })
  })

  it('maps mediator headers, each column once, and prefers the mobile column for the phone', () => {
    const headers = ['姓名', '公民身份号码', '所属组织代码', '专兼职', '手机号码', '工作证号', '任职日期']
    expect(suggestMapping(headers, MEDIATOR_SPECS)).toEqual({
      name: 0,
      idNumber: 1,
      orgCode: 2,
      employment: 3,
      phone: 4,
      cardNumber: 5,
      startedOn: 6,
    })
  })

  it('recognises headers with decorations (spaces, *, full-width brackets) and partial names', () => {
    expect(headerScore(' 组织代码 *', ORG_SPECS[0]!)).toBeGreaterThanOrEqual(3)
    expect(headerScore('调解组织代码（省平台）', ORG_SPECS[0]!)).toBeGreaterThanOrEqual(2)
    expect(headerScore('毫不相关', ORG_SPECS[0]!)).toBe(0)
    const mapping = suggestMapping(['Name', 'CODE', 'Kind', 'Region'], ORG_SPECS)
    expect(mapping).toMatchObject({ name: 0, code: 1, kind: 2, region: 3 })
  })

  it('uses the mapping the source saved before, by header text, even when the columns moved', () => {
    const headers = ['甲列', '乙列', '丙列', '丁列']
    const saved = { code: '丙列', name: '甲列', kind: '丁列', region: '乙列' }
    expect(suggestMapping(headers, ORG_SPECS, saved)).toMatchObject({ code: 2, name: 0, kind: 3, region: 1 })
    // A saved header the file no longer has falls back to suggestions.
    expect(suggestMapping(['组织名称', '组织代码'], ORG_SPECS, { name: '旧表头' })).toMatchObject({ name: 0, code: 1 })
  })

  it('round-trips through the saved form', () => {
    const headers = ['组织代码', '组织名称']
    const saved = toSaved({ code: 0, name: 1, kind: null }, headers)
    expect(saved).toEqual({ code: '组织代码', name: '组织名称' })
    expect(parseSaved(JSON.stringify(saved))).toEqual(saved)
    expect(parseSaved('not json')).toEqual({})
    expect(parseSaved('{"code": 3}')).toEqual({})
  })

  it('reads a saved mapping back exactly: a field the user left unmapped is not suggested again', () => {
    const headers = ['组织代码', '组织名称', '办公地址']
    expect(fromSaved({ code: '组织代码', name: '组织名称' }, headers, ORG_SPECS)).toEqual({
      code: 0,
      name: 1,
      kind: null,
      sector: null,
      region: null,
      address: null,
      contactPhone: null,
    })
  })
})

describe('initialMapping', () => {
  it('repeats the saved mapping exactly for the same layout, and suggests for another one', () => {
    const headers = ['组织代码', '组织名称', '组织类型', '地区', '办公地址']
    const saved = { code: '组织代码', name: '组织名称', kind: '组织类型', region: '地区' }
    expect(initialMapping(headers, ORG_SPECS, saved).address).toBeNull()
    expect(initialMapping(headers, ORG_SPECS, {}).address).toBe(4)
    expect(initialMapping([...headers.slice(1)], ORG_SPECS, saved)).toMatchObject({ code: null, name: 0, address: 3 })
  })
})

describe('mappingErrors', () => {
  it('asks for required fields, refuses a column used twice and an index outside the file', () => {
    expect(mappingErrors({ code: 0, name: 0, kind: 9, region: null, address: null }, ORG_SPECS, 3)).toEqual({
      name: 'rosterSync.mapping.duplicate',
      kind: 'validation.choice',
      region: 'rosterSync.mapping.required',
    })
    expect(mappingErrors({ code: 0, name: 1, kind: 2, region: 3 }, ORG_SPECS, 4)).toEqual({})
  })
})
