import { describe, expect, it } from 'vitest'
import { attachmentDisposition } from './write.server.ts'
import { mapHeaders, normaliseHeader } from './headers.ts'

const specs = [
  { field: 'name', header: '姓名', aliases: ['name'], required: true },
  { field: 'id', header: '身份证号', aliases: ['身份证号码'], required: true },
  { field: 'bio', header: '简介' },
] as const

describe('mapHeaders', () => {
  it('matches Chinese headers, aliases, spaces, required marks and full-width brackets', () => {
    expect(normaliseHeader(' 身份证号 *')).toBe('身份证号')
    expect(normaliseHeader('语言（方言）')).toBe('语言(方言)')
    const mapping = mapHeaders(['身份证号码 ', 'Name', '备注'], specs)
    expect(mapping.columns).toEqual({ id: 0, name: 1 })
    expect(mapping.unknown).toEqual(['备注'])
    expect(mapping.missing).toEqual([])
  })

  it('reports missing required columns by their template header and repeated ones', () => {
    const mapping = mapHeaders(['简介', '简介'], specs)
    expect(mapping.missing).toEqual(['姓名', '身份证号'])
    expect(mapping.repeated).toEqual(['简介'])
  })
})

describe('attachmentDisposition', () => {
  it('encodes a Chinese file name per RFC 5987 with an ASCII fallback', () => {
    const header = attachmentDisposition('专家库导出-2026-11-23.xlsx')
    expect(header).toBe(
      `attachment; filename="_____-2026-11-23.xlsx"; filename*=UTF-8''${encodeURIComponent('专家库导出')}-2026-11-23.xlsx`,
    )
  })
})
