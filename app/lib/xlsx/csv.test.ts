import { describe, expect, it } from 'vitest'
import { csvField, decodeCsvBytes, parseCsv } from './csv.ts'

describe('parseCsv (RFC 4180)', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('姓名,简介\r\n"王, 建国","他说""你好""\r\n第二行"\r\n')).toEqual([
      ['姓名', '简介'],
      ['王, 建国', '他说"你好"\r\n第二行'],
    ])
  })

  it('accepts CRLF, LF and CR line ends and keeps empty cells', () => {
    expect(parseCsv('a,b\r\n1,\n,2\r3,4')).toEqual([
      ['a', 'b'],
      ['1', ''],
      ['', '2'],
      ['3', '4'],
    ])
  })

  it('drops a byte-order mark and a final line break, keeps leading zeros and long digits as text', () => {
    expect(parseCsv('\uFEFF身份证号,手机号\n11010519491231002X,013800138000\n')).toEqual([
      ['身份证号', '手机号'],
      ['11010519491231002X', '013800138000'],
    ])
  })

  it('keeps a quoted empty last field', () => {
    expect(parseCsv('a,""')).toEqual([['a', '']])
  })
})

describe('decodeCsvBytes', () => {
  it('reads UTF-8 with or without BOM', () => {
    const utf8 = new TextEncoder().encode('\uFEFF姓名')
    expect(decodeCsvBytes(utf8)).toBe('姓名')
  })

  it('falls back to GB 18030 (Excel on a Chinese system)', () => {
    // 姓名 in GBK
    expect(decodeCsvBytes(new Uint8Array([0xd0, 0xd5, 0xc3, 0xfb]))).toBe('姓名')
  })
})

describe('csvField', () => {
  it('quotes only when needed', () => {
    expect(csvField('abc')).toBe('abc')
    expect(csvField('a,"b"')).toBe('"a,""b"""')
  })
})
