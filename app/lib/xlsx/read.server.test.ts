import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { SpreadsheetError, cellText, detectSpreadsheetKind, readSpreadsheet } from './read.server.ts'

describe('cellText', () => {
  it('turns exceljs values into the text a person typed', () => {
    expect(cellText(new Date(Date.UTC(2026, 0, 5)))).toEqual({ text: '2026-01-05', lossy: false })
    expect(cellText(13812345678)).toEqual({ text: '13812345678', lossy: false })
    expect(cellText(110105194912310000)).toMatchObject({ lossy: true })
    expect(cellText({ richText: [{ text: '王' }, { text: '五' }] })).toEqual({ text: '王五', lossy: false })
    expect(cellText({ formula: 'A1', result: 3 } as ExcelJS.CellFormulaValue)).toEqual({ text: '3', lossy: false })
    expect(cellText(null)).toEqual({ text: '', lossy: false })
  })
})

describe('detectSpreadsheetKind', () => {
  it('needs the bytes and the name to agree', () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0])
    expect(detectSpreadsheetKind(zip, 'a.xlsx')).toBe('xlsx')
    expect(detectSpreadsheetKind(zip, 'a.csv')).toBeNull()
    expect(detectSpreadsheetKind(new TextEncoder().encode('a,b'), 'a.csv')).toBe('csv')
    expect(detectSpreadsheetKind(new TextEncoder().encode('a,b'), 'a.xlsx')).toBeNull()
    expect(detectSpreadsheetKind(zip, 'a.xls')).toBeNull()
  })
})

describe('readSpreadsheet', () => {
  it('reads the first sheet: header, rows with their sheet row numbers, blank rows skipped, long numbers flagged', async () => {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('专家')
    sheet.addRow(['姓名', '身份证号', '出生日期'])
    sheet.addRow(['王五', '11010519491231002X', new Date(Date.UTC(1949, 11, 31))])
    sheet.addRow([])
    sheet.addRow(['赵六', 110105194912310000, '1949-12-31'])
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer())
    const data = await readSpreadsheet(bytes, 'xlsx', { maxRows: 10 })
    expect(data.headers).toEqual(['姓名', '身份证号', '出生日期'])
    expect(data.rows.map((r) => [r.rowNumber, r.cells[0], r.cells[2], r.lossy])).toEqual([
      [2, '王五', '1949-12-31', []],
      [4, '赵六', '1949-12-31', [1]],
    ])
    expect(data.rows[0]!.cells[1]).toBe('11010519491231002X')
    await expect(readSpreadsheet(bytes, 'xlsx', { maxRows: 1 })).rejects.toBeInstanceOf(SpreadsheetError)
    await expect(readSpreadsheet(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2]), 'xlsx', { maxRows: 1 })).rejects.toMatchObject({
      reason: 'unreadable',
    })
  })
})
