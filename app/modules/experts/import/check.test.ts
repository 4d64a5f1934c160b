import { describe, expect, it } from 'vitest'
import { idNumberCheckChar } from '#app/lib/personal-numbers.ts'
import type { Principal } from '#app/modules/auth/policy.ts'
import { type ExpertRefs, validateExpertRecord } from '../schemas.ts'
import { type CheckContext, checkRow, checkSheet, validateImportRecord } from './check.ts'
import { EXPERT_COLUMNS, normaliseDateText, rowToFormValues } from './columns.ts'

const refs: ExpertRefs = {
  disputeTypes: ['合同', '医疗', '婚姻家庭'],
  regions: new Map([
    ['110000', { code: '110000', level: 'province' }],
    ['110108', { code: '110108', level: 'district' }],
    ['110105', { code: '110105', level: 'district' }],
  ]),
}

const haidianStaff: Principal = {
  userId: 'u1',
  personId: null,
  grants: [{ role: 'bureau_staff', regionCode: '110108', regionPath: '/110000/110108/', orgId: null }],
}

const ctx: CheckContext = { refs, principal: haidianStaff, defaults: { maxConcurrentCases: 3 }, ageLimit: 70 }

function idNumber(birth: string, order: string): string {
  const first17 = `110108${birth.replaceAll('-', '')}${order}`
  return first17 + idNumberCheckChar(first17)
}

const good = {
  name: '王建国',
  gender: '男',
  birthDate: '1975/6/15',
  idNumber: idNumber('1975-06-15', '013'),
  phone: '13812345678',
  employer: '北京大学第三医院',
  title: '主任医师',
  professions: '医学、法学',
  primaryDomains: '医疗',
  secondaryDomains: '合同',
  specialties: '医疗',
  languages: '普通话、英语',
  tier: '区县级',
  regionCode: '110108',
  termStart: '2026-12-01',
  termEnd: '2031年11月30日',
  maxConcurrentCases: '',
  bio: '',
}

describe('rowToFormValues', () => {
  it('turns Chinese words into the form’s codes and fills defaults', () => {
    const values = rowToFormValues(good, { maxConcurrentCases: 3 })
    expect(values).toMatchObject({
      gender: 'male',
      tier: 'district',
      professions: ['medicine', 'law'],
      birthDate: '1975-06-15',
      termEnd: '2031-11-30',
      maxConcurrentCases: '3',
      contactPreference: 'phone',
    })
  })

  it('normalises dates written the Chinese way or with slashes', () => {
    expect(normaliseDateText('2026年1月5日')).toBe('2026-01-05')
    expect(normaliseDateText('2026.1.5')).toBe('2026-01-05')
    expect(normaliseDateText('5/1/2026')).toBe('5/1/2026')
  })
})

describe('checkRow', () => {
  it('accepts a good row with the admission rules', () => {
    const check = checkRow(2, good, [], ctx)
    expect(check.ok).toBe(true)
    if (check.ok) expect(check.record).toMatchObject({ name: '王建国', tier: 'district', maxConcurrentCases: 3, primaryDomains: ['医疗'] })
  })

  it('names each bad column with a message reference', () => {
    const check = checkRow(
      7,
      {
        ...good,
        idNumber: `${good.idNumber.slice(0, 17)}${good.idNumber[17] === '0' ? '1' : '0'}`,
        phone: '1234',
        primaryDomains: '不存在的类型',
        termStart: '2031-01-01',
        termEnd: '2030-01-01',
        gender: '未知',
      },
      [],
      ctx,
    )
    expect(check.ok).toBe(false)
    if (check.ok) return
    expect(check.row).toBe(7)
    expect(check.errors).toEqual(
      expect.arrayContaining([
        { column: '身份证号', message: 'validation.idNumber.checksum' },
        { column: '手机号', message: 'validation.phone' },
        { column: '主要领域', message: 'validation.choice' },
        { column: '性别', message: 'validation.choice' },
      ]),
    )
  })

  it('reports a tier that does not fit the region and an unknown region', () => {
    const wrongTier = checkRow(3, { ...good, tier: '市级' }, [], ctx)
    expect(!wrongTier.ok && wrongTier.errors).toEqual([{ column: '层级', message: 'experts.validation.regionTier' }])
    const unknown = checkRow(3, { ...good, regionCode: '999999' }, [], ctx)
    expect(!unknown.ok && unknown.errors).toEqual([{ column: '所属地区代码', message: 'validation.choice' }])
  })

  it('refuses experts the importer’s body could not admit (another district, a higher tier)', () => {
    const other = checkRow(4, { ...good, regionCode: '110105' }, [], ctx)
    expect(!other.ok && other.errors).toEqual([{ column: '所属地区代码', message: 'experts.validation.notYourBody' }])
    const national = checkRow(4, { ...good, tier: '全国' }, [], ctx)
    expect(!national.ok && national.errors).toEqual([{ column: '层级', message: 'experts.validation.notYourBody' }])
  })

  it('explains ID numbers Excel stored as numbers', () => {
    const check = checkRow(5, { ...good, idNumber: '110108197506150000' }, ['idNumber'], ctx)
    expect(!check.ok && check.errors[0]).toEqual({ column: '身份证号', message: 'expertImport.error.longNumber' })
  })

  it('warns about the age limit without refusing the row', () => {
    const old = { ...good, birthDate: '1960-06-15', idNumber: idNumber('1960-06-15', '013') }
    const check = checkRow(6, old, [], ctx)
    expect(check.ok && check.warnings).toEqual([expect.stringMatching(/^expertImport\.warning\.age\?/)])
  })
})

describe('checkSheet', () => {
  const headers = EXPERT_COLUMNS.map((c) => c.header)
  const cellsOf = (row: Record<string, string>) => EXPERT_COLUMNS.map((c) => row[c.field] ?? '')

  it('stops at missing required columns', () => {
    const check = checkSheet({ headers: ['姓名', '简介'], rows: [] }, ctx)
    expect(check.mapping.missing).toContain('身份证号')
    expect(check.rows).toEqual([])
  })

  it('flags the second row with the same ID number', () => {
    const check = checkSheet(
      {
        headers,
        rows: [
          { rowNumber: 2, cells: cellsOf(good), lossy: [] },
          { rowNumber: 3, cells: cellsOf(good), lossy: [] },
        ],
      },
      ctx,
    )
    expect(check.rows[0]!.ok).toBe(true)
    expect(check.rows[1]).toMatchObject({
      ok: false,
      errors: [{ column: '身份证号', message: 'expertImport.error.duplicateInFile?row=2' }],
    })
  })
})

describe('validateImportRecord', () => {
  it('gives the same values and messages as validateExpertRecord (the admission form’s path)', () => {
    const variants: Record<string, string>[] = [
      good,
      { ...good, idNumber: '123', phone: '' },
      { ...good, primaryDomains: '', professions: '天文学', gender: '女' },
      { ...good, secondaryDomains: '医疗', tier: '市级', maxConcurrentCases: '99' },
      { ...good, termEnd: '2020-01-01', birthDate: '1975-02-30', name: '' },
      { ...good, regionCode: '', languages: 'a、b、c、d、e、f、g、h、i、j、k' },
    ]
    for (const variant of variants) {
      const values = rowToFormValues(variant, { maxConcurrentCases: 3 })
      const viaForm = validateExpertRecord(values, refs)
      const direct = validateImportRecord(values, refs)
      expect(direct.ok).toBe(viaForm.ok)
      if (viaForm.ok && direct.ok) expect(direct.value).toEqual(viaForm.value)
      if (!viaForm.ok && !direct.ok) {
        const sorted = (e: Record<string, string[] | undefined>) =>
          Object.fromEntries(Object.entries(e).map(([k, v]) => [k, [...(v ?? [])].sort()]))
        expect(sorted(direct.errors)).toEqual(sorted(viaForm.errors))
      }
    }
  })
})
