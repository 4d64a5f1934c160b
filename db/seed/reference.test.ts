import { describe, expect, it } from 'vitest'
import { DISPUTE_TYPES } from './data/dispute-types.ts'
import { REGIONS } from './data/regions.ts'
import { disputeTypeRows, makeRegionTree } from './reference.ts'

describe('makeRegionTree', () => {
  const tree = makeRegionTree(REGIONS)
  const byCode = new Map(tree.map((r) => [r.code, r]))

  it('computes materialised paths from the parents', () => {
    expect(byCode.get('110000')?.path).toBe('/110000/')
    expect(byCode.get('110108')?.path).toBe('/110000/110108/')
    expect(byCode.get('110108011')).toMatchObject({ name: '中关村街道', level: 'township', path: '/110000/110108/110108011/' })
    expect(byCode.get('371302')?.path).toBe('/370000/371300/371302/')
  })

  it('orders parents first and numbers siblings in list order', () => {
    const seen = new Set<string>()
    for (const row of tree) {
      if (row.parent_code) expect(seen.has(row.parent_code), row.code).toBe(true)
      seen.add(row.code)
    }
    expect(byCode.get('110101')?.sort).toBe(1)
    expect(byCode.get('110119')?.sort).toBe(16)
  })

  it('covers the 16 Beijing districts and streets in the four central districts', () => {
    expect(tree.filter((r) => r.parent_code === '110000')).toHaveLength(16)
    for (const district of ['110101', '110102', '110105', '110108']) {
      const streets = tree.filter((r) => r.parent_code === district)
      expect(streets.length).toBeGreaterThanOrEqual(3)
      expect(streets.every((s) => s.level === 'township' && s.code.length === 9)).toBe(true)
    }
  })

  it('refuses a parent that is not in the list', () => {
    expect(() => makeRegionTree([{ code: '110108', name: '海淀区', level: 'district', parent: '110000' }])).toThrow(/110000/)
  })
})

describe('dispute types', () => {
  it('has every standard and sector type with an English name, 其他 sorted last', () => {
    const rows = disputeTypeRows()
    expect(rows).toHaveLength(21)
    expect(rows.filter((r) => r.category === 'sector').map((r) => r.code)).toEqual([
      '旅游',
      '电子商务',
      '知识产权',
      '保险',
      '金融',
      '互联网',
    ])
    expect(rows.find((r) => r.code === '婚姻家庭')?.name_en).toBe('Marriage and family')
    expect(DISPUTE_TYPES.every((t) => /^[A-Z][A-Za-z -]+$/.test(t.nameEn))).toBe(true)
    const last = [...rows].sort((a, b) => a.sort - b.sort).at(-1)
    expect(last?.code).toBe('其他')
  })
})
