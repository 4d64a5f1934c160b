import { describe, expect, it } from 'vitest'
import { idNumberCheckChar } from '#app/lib/personal-numbers.ts'
import { checkMediatorRows, checkOrgRows, parseEmployment, parseOrgKind } from './rows.ts'

const HAIDIAN = '/110000/110108/'
const regions = new Map([
  ['110000', { path: '/110000/', name: '北京市' }],
  ['110108', { path: HAIDIAN, name: '海淀区' }],
  ['110105', { path: '/110000/110105/', name: '朝阳区' }],
  ['220105', { path: '/220000/220105/', name: '朝阳区' }],
])
const sectors = new Map([
  ['medical', 'medical'],
  ['医疗纠纷', 'medical'],
])
const orgCtx = { regions, sectors, scopePath: HAIDIAN }
const orgHeaders = ['组织代码', '组织名称', '组织类型', '行业领域', '所属地区', '地址', '办公电话']
const orgMapping = { code: 0, name: 1, kind: 2, sector: 3, region: 4, address: 5, contactPhone: 6 }
const row = (rowNumber: number, cells: string[], lossy: number[] = []) => ({ rowNumber, cells, lossy })

const id = (first17: string) => `${first17}${idNumberCheckChar(first17)}`

describe('organisation rows', () => {
  it('turns good rows into records: kinds by Chinese name, region by code or unique name, sector only for sector committees', () => {
    const results = checkOrgRows(
      [
        row(2, ['hd-001', '海淀街道调委会', '乡镇（街道）人民调解委员会', '', '110108', '海淀路1号', '010-62550000']),
        row(3, ['HD-002', '海淀医调委', '行专调委会', '医疗纠纷', '海淀区', '', '']),
        row(4, ['HD-003', '某村调委会', '村（居）调委会', '医疗纠纷', '110108', '', '']),
      ],
      orgHeaders,
      orgMapping,
      orgCtx,
    )
    expect(results.map((r) => r.ok)).toEqual([true, true, true])
    const [a, b, c] = results.map((r) => (r.ok ? r.record : null))
    expect(a).toMatchObject({ code: 'HD-001', kind: 'committee_township', regionCode: '110108', address: '海淀路1号', sectorCode: null })
    expect(b).toMatchObject({ code: 'HD-002', kind: 'committee_sector', sectorCode: 'medical', address: null, contactPhone: null })
    // A village committee carries no sector even when the cell has one.
    expect(c).toMatchObject({ kind: 'committee_village', sectorCode: null })
  })

  it('reports every broken cell by its column with a message', () => {
    const [result] = checkOrgRows([row(5, ['bad code!', '', '未知类型', '', '999999', '', 'call me'])], orgHeaders, orgMapping, orgCtx)
    expect(result!.ok).toBe(false)
    if (result!.ok) return
    expect(result!.errors).toEqual([
      { column: '组织代码', message: 'rosterSync.error.codeFormat' },
      { column: '组织名称', message: 'validation.required' },
      { column: '组织类型', message: 'rosterSync.error.kind' },
      { column: '所属地区', message: 'rosterSync.error.region' },
      { column: '办公电话', message: 'orgs.error.phoneFormat' },
    ])
  })

  it('makes rows outside the run’s region errors, and needs a sector for sector committees', () => {
    const results = checkOrgRows(
      [
        row(2, ['CY-1', '朝阳调委会', '司法所', '', '110105', '', '']),
        row(3, ['HD-9', '医调委', '行业性专业性人民调解委员会', '', '110108', '', '']),
      ],
      orgHeaders,
      orgMapping,
      orgCtx,
    )
    expect(results.map((r) => (r.ok ? [] : r.errors))).toEqual([
      [{ column: '所属地区', message: 'rosterSync.error.outOfScope' }],
      [{ column: '行业领域', message: 'orgs.error.sectorRequired' }],
    ])
  })

  it('resolves a region name used in two cities by the run’s region, and reports it otherwise', () => {
    const beijing = { ...orgCtx, scopePath: '/110000/' }
    const [inScope] = checkOrgRows([row(2, ['A', '甲', '司法所', '', '朝阳区', '', ''])], orgHeaders, orgMapping, beijing)
    expect(inScope!.ok && inScope!.record.regionCode).toBe('110105')
    const everywhere = { ...orgCtx, scopePath: '/' }
    const [ambiguous] = checkOrgRows([row(2, ['A', '甲', '司法所', '', '朝阳区', '', ''])], orgHeaders, orgMapping, everywhere)
    expect(!ambiguous!.ok && ambiguous!.errors).toEqual([{ column: '所属地区', message: 'rosterSync.error.regionAmbiguous' }])
  })

  it('marks a repeated code as an error of the later row', () => {
    const results = checkOrgRows(
      [row(2, ['HD-1', '甲', '司法所', '', '110108', '', '']), row(3, ['hd-1', '乙', '司法所', '', '110108', '', ''])],
      orgHeaders,
      orgMapping,
      orgCtx,
    )
    expect(results[0]!.ok).toBe(true)
    expect(!results[1]!.ok && results[1]!.errors).toEqual([{ column: '组织代码', message: 'rosterSync.error.duplicateInFile?row=2' }])
  })

  it('leaves unmapped optional fields undefined (not touched) and blank mapped ones null (cleared)', () => {
    const [result] = checkOrgRows(
      [row(2, ['HD-1', '甲', '司法所', '110108'])],
      ['代码', '名称', '类型', '地区'],
      { code: 0, name: 1, kind: 2, region: 3 },
      orgCtx,
    )
    expect(result!.ok && result!.record).toMatchObject({ address: undefined, contactPhone: undefined, sectorCode: undefined })
  })
})

describe('mediator rows', () => {
  const orgs = new Map([
    ['HD-001', { orgId: 'ORG1', regionCode: '110108', regionPath: HAIDIAN, status: 'active' as const }],
    ['CY-001', { orgId: 'ORG2', regionCode: '110105', regionPath: '/110000/110105/', status: 'active' as const }],
    ['HD-OLD', { orgId: 'ORG3', regionCode: '110108', regionPath: HAIDIAN, status: 'dissolved' as const }],
  ])
  const ctx = { orgs, scopePath: HAIDIAN }
  const headers = ['姓名', '身份证号', '手机号', '组织代码', '专兼职', '工作证号', '任职日期']
  const mapping = { name: 0, idNumber: 1, phone: 2, orgCode: 3, employment: 4, cardNumber: 5, startedOn: 6 }
  const good = id('11010819800101001')

  it('turns a good row into a record with normalised numbers and the organisation it names', () => {
    const [result] = checkMediatorRows(
      [row(2, ['王五', good.toLowerCase(), '138 0013 8000', 'hd-001', '专职', 'bj-01', '2020/3/1'])],
      headers,
      mapping,
      ctx,
    )
    expect(result!.ok && result!.record).toEqual({
      name: '王五',
      idNumber: good.toUpperCase(),
      phone: '13800138000',
      orgCode: 'HD-001',
      orgId: 'ORG1',
      regionCode: '110108',
      employment: 'full_time',
      cardNumber: 'BJ-01',
      startedOn: '2020-03-01',
    })
  })

  it('reports bad ID numbers, phones, unknown or out-of-scope organisations and employment words', () => {
    const badId = `${good.slice(0, 17)}${good.endsWith('0') ? '1' : '0'}`
    const results = checkMediatorRows(
      [
        row(2, ['甲', badId, '12345', 'HD-404', '临时', '', '2020-13-01']),
        row(3, ['乙', id('11010519800101002'), '', 'CY-001', '兼职', '', '']),
        row(4, ['丙', id('11010519800101003'), '', 'HD-OLD', '兼职', '', '']),
        row(5, ['丁', '110108198001010000', '', 'HD-001', '兼职', '', ''], [1]),
      ],
      headers,
      mapping,
      ctx,
    )
    expect(results.map((r) => (r.ok ? [] : r.errors))).toEqual([
      [
        { column: '身份证号', message: 'validation.idNumber.checksum' },
        { column: '手机号', message: 'validation.phone' },
        { column: '组织代码', message: 'rosterSync.error.unknownOrg' },
        { column: '专兼职', message: 'rosterSync.error.employment' },
        { column: '任职日期', message: 'validation.date' },
      ],
      [{ column: '组织代码', message: 'rosterSync.error.outOfScope' }],
      [{ column: '组织代码', message: 'rosterSync.error.orgDissolved' }],
      [{ column: '身份证号', message: 'rosterSync.error.longNumber' }],
    ])
  })

  it('refuses the same ID number or work card twice in one file', () => {
    const results = checkMediatorRows(
      [
        row(2, ['甲', good, '', 'HD-001', '兼职', 'C1', '']),
        row(3, ['甲', good, '', 'HD-001', '兼职', '', '']),
        row(4, ['乙', id('11010819800101002'), '', 'HD-001', '兼职', 'c1', '']),
      ],
      headers,
      mapping,
      ctx,
    )
    expect(results.map((r) => (r.ok ? [] : r.errors))).toEqual([
      [],
      [{ column: '身份证号', message: 'rosterSync.error.duplicateInFile?row=2' }],
      [{ column: '工作证号', message: 'rosterSync.error.duplicateInFile?row=2' }],
    ])
  })
})

describe('words of the provincial export', () => {
  it('reads kinds and employment in their usual spellings', () => {
    expect(parseOrgKind('司法局')).toBe('justice_bureau')
    expect(parseOrgKind('人民调解协会')).toBe('association')
    expect(parseOrgKind('企事业单位调委会')).toBe('committee_enterprise')
    expect(parseOrgKind('Justice office')).toBe('justice_office')
    expect(parseOrgKind('committee_stationed')).toBe('committee_stationed')
    expect(parseOrgKind('居委会')).toBeNull()
    expect(parseEmployment(' 兼职 ')).toBe('part_time')
    expect(parseEmployment('Full-time')).toBe('full_time')
    expect(parseEmployment('志愿者')).toBeNull()
  })
})
