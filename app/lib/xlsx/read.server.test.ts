import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { type SheetData, SpreadsheetError, WORKER_MIN_BYTES, cellText, detectSpreadsheetKind, readSpreadsheet } from './read.server.ts'

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

/** Every kind of cell importers meet, on the first of two sheets. */
async function variedWorkbook(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('人员')
  sheet.addRow([' 姓名 ', '身份证号', '日期', '电话', '富文本', '公式', '布尔', '链接', '错误'])
  sheet.addRow([
    '王五',
    110105194912310000,
    new Date(Date.UTC(1949, 11, 31)),
    13812345678,
    { richText: [{ text: '海淀' }, { font: { bold: true }, text: '街道' }] },
    { formula: 'D2*2', result: 27624691356 },
    true,
    { text: '链接', hyperlink: 'https://example.org' },
    { formula: '1/0', result: { error: '#DIV/0!' } },
  ])
  sheet.addRow([])
  sheet.addRow(['  ', ''])
  sheet.addRow([
    '赵六',
    -1234567890123456,
    { formula: 'DATE(2026,1,5)', result: new Date(Date.UTC(2026, 0, 5)) },
    3.25,
    '11010519491231002X',
  ])
  sheet.getCell('F5').value = { sharedFormula: 'F2', result: 7 } as ExcelJS.CellSharedFormulaValue
  sheet.addRow([null, null, null, null, null, null, null, null, '最后一列'])
  workbook.addWorksheet('忽略').addRow(['不读'])
  return new Uint8Array(await workbook.xlsx.writeBuffer())
}

async function rowsWorkbook(rows: number): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('参训人员')
  sheet.addRow(['工作证号', '姓名', '考核结果', '学时', '备注'])
  for (let i = 0; i < rows; i++) sheet.addRow([`GZ${100000 + i}`, `学员${i}`, i % 7 ? '合格' : '不合格', (i % 16) + 0.5, `第${i}行`])
  return new Uint8Array(await workbook.xlsx.writeBuffer())
}

const INLINE = { workerMinBytes: Number.POSITIVE_INFINITY }
const WORKER = { workerMinBytes: 0 }

/** The sheet, or the reason it was refused (anything else but a SpreadsheetError fails the test). */
async function outcome(read: Promise<SheetData>): Promise<SheetData | { refused: string }> {
  try {
    return await read
  } catch (error) {
    if (!(error instanceof SpreadsheetError)) throw error
    return { refused: error.reason }
  }
}

const liveWorkers = () => (process.report.getReport() as unknown as { workers: unknown[] }).workers.length

describe('readSpreadsheet in a worker thread', () => {
  it('gives exactly the inline result for the same workbooks, refusals included', async () => {
    const varied = await variedWorkbook()
    const emptyBook = new ExcelJS.Workbook()
    emptyBook.addWorksheet('空').addRow(['', '  '])
    const cases: [string, Uint8Array, number][] = [
      ['varied', varied, 10],
      ['too many rows (after blank rows are dropped)', varied, 2],
      ['too many rows (early count)', await rowsWorkbook(30), 5],
      ['only blank cells', new Uint8Array(await emptyBook.xlsx.writeBuffer()), 10],
      ['no worksheet', new Uint8Array(await new ExcelJS.Workbook().xlsx.writeBuffer()), 10],
      ['not a zip inside', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 10],
      ['damaged zip', varied.slice(0, varied.length / 2), 10],
    ]
    for (const [name, bytes, maxRows] of cases) {
      const inline = await outcome(readSpreadsheet(bytes, 'xlsx', { maxRows, ...INLINE }))
      const offThread = await outcome(readSpreadsheet(bytes, 'xlsx', { maxRows, ...WORKER }))
      expect(offThread, name).toEqual(inline)
    }
    expect(await outcome(readSpreadsheet(varied, 'xlsx', { maxRows: 10, ...WORKER }))).toEqual({
      headers: ['姓名', '身份证号', '日期', '电话', '富文本', '公式', '布尔', '链接', '错误'],
      rows: [
        {
          rowNumber: 2,
          cells: ['王五', '110105194912310000', '1949-12-31', '13812345678', '海淀街道', '27624691356', 'TRUE', '链接', ''],
          lossy: [1],
        },
        { rowNumber: 5, cells: ['赵六', '-1234567890123456', '2026-01-05', '3.25', '11010519491231002X', '7', '', '', ''], lossy: [1] },
        { rowNumber: 6, cells: ['', '', '', '', '', '', '', '', '最后一列'], lossy: [] },
      ],
    })
    expect(await outcome(readSpreadsheet(varied, 'xlsx', { maxRows: 2, ...WORKER }))).toEqual({ refused: 'tooManyRows' })
    expect(await outcome(readSpreadsheet(cases[5]![1], 'xlsx', { maxRows: 2, ...WORKER }))).toEqual({ refused: 'unreadable' })
    expect(liveWorkers()).toBe(0)
  }, 60_000)

  it('gives exactly the inline result for CSV files, and reads large ones in the worker by default', async () => {
    const utf8 = (text: string) => new TextEncoder().encode(text)
    const gbk = new Uint8Array([0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0x61, 0x0d, 0x0a, 0x31, 0x2c, 0x32]) // 姓名,a CRLF 1,2
    const lines = ['工作证号,姓名,备注']
    for (let i = 0; i < 10_000; i++) lines.push(`GZ${100000 + i},学员${i},"第${i}行, 含逗号和""引号"""`)
    const large = utf8(lines.join('\r\n'))
    expect(large.byteLength).toBeGreaterThan(WORKER_MIN_BYTES.csv)
    const cases: [string, Uint8Array, number][] = [
      ['BOM, quotes, blank lines', utf8('\ufeff 姓名 ,号码\n\n"王,五","110105194912310000"\n"多\n行",\r\n'), 10],
      ['GB 18030', gbk, 10],
      ['blank', utf8('\n ,\n'), 10],
      ['too many rows', utf8('a\n1\n2\n3'), 2],
      ['large', large, 10_000],
      ['large, too many rows', large, 9_999],
    ]
    for (const [name, bytes, maxRows] of cases) {
      const inline = await outcome(readSpreadsheet(bytes, 'csv', { maxRows, ...INLINE }))
      const offThread = await outcome(readSpreadsheet(bytes, 'csv', { maxRows, ...WORKER }))
      expect(offThread, name).toEqual(inline)
      expect(await outcome(readSpreadsheet(bytes, 'csv', { maxRows })), name).toEqual(inline)
    }
    expect(await outcome(readSpreadsheet(cases[0]![1], 'csv', { maxRows: 10, ...WORKER }))).toEqual({
      headers: ['姓名', '号码'],
      rows: [
        { rowNumber: 3, cells: ['王,五', '110105194912310000'], lossy: [] },
        { rowNumber: 4, cells: ['多\n行', ''], lossy: [] },
      ],
    })
    expect(liveWorkers()).toBe(0)
  }, 60_000)

  it('keeps the event loop running while a large workbook is parsed', async () => {
    const bytes = await rowsWorkbook(5_000)
    expect(bytes.byteLength).toBeGreaterThan(WORKER_MIN_BYTES.xlsx)
    // Count the ticks of a 10 ms interval against the ticks the parse's duration allows. Measured
    // on a loaded 2-core box: about 0.9 of them fire while the worker parses, 0.1–0.3 inline
    // (exceljs yields between zip chunks, then walks the rows in one synchronous stretch).
    let ticks = 0
    const ticker = setInterval(() => ticks++, 10)
    const started = performance.now()
    const data = await readSpreadsheet(bytes, 'xlsx', { maxRows: 5_000 })
    const possible = (performance.now() - started) / 10
    clearInterval(ticker)
    expect(data.rows).toHaveLength(5_000)
    expect(data.rows[4_999]!.cells).toEqual(['GZ104999', '学员4999', '合格', '7.5', '第4999行'])
    expect(ticks).toBeGreaterThanOrEqual(5)
    expect(ticks).toBeGreaterThan(possible / 2)
    expect(liveWorkers()).toBe(0)
  }, 60_000)

  it('stops the worker at its time limit and reports the file as unreadable; small files stay inline', async () => {
    const bytes = await rowsWorkbook(2_000)
    await expect(readSpreadsheet(bytes, 'xlsx', { maxRows: 5_000, ...WORKER, timeLimitMs: 1 })).rejects.toMatchObject({
      reason: 'unreadable',
    })
    expect(liveWorkers()).toBe(0)
    const small = await rowsWorkbook(3)
    expect(small.byteLength).toBeLessThan(WORKER_MIN_BYTES.xlsx)
    // No worker is started, so even a time limit of 1 ms cannot fail it.
    expect((await readSpreadsheet(small, 'xlsx', { maxRows: 5, timeLimitMs: 1 })).rows).toHaveLength(3)
  }, 60_000)
})
