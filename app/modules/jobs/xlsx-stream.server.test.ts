import { PassThrough } from 'node:stream'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { buildWorkbook } from '#app/lib/xlsx/write.server.ts'
import { openSheetStream } from './xlsx-stream.server.ts'

const spec = {
  name: '名册',
  title: ['人民调解员名册', '筛选条件：全部', '导出时间：2026-12-06 08:00（北京时间）  导出人：张三（zhang）'],
  serial: true,
  columns: [
    { header: '姓名', width: 10 },
    { header: '身份证号', width: 22, text: true },
    { header: '人数', width: 6 },
  ],
} as const

async function streamed(batches: (string | number | null)[][][]): Promise<Buffer> {
  const out = new PassThrough()
  const chunks: Buffer[] = []
  out.on('data', (c: Buffer) => chunks.push(c))
  const sheet = openSheetStream(out, spec)
  for (const rows of batches) sheet.addRows(rows)
  await sheet.finish()
  return Buffer.concat(chunks)
}

async function cells(bytes: Buffer) {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer)
  const sheet = workbook.worksheets[0]!
  const rows: unknown[][] = []
  sheet.eachRow((row, n) => {
    rows[n - 1] = (row.values as unknown[]).slice(1)
  })
  return { sheet, rows }
}

describe('streaming sheet writer', () => {
  it('writes what buildWorkbook writes: title lines, header, 序号 across batches, text cells', async () => {
    const rows = [
      ['甲', '110105********1234', 3],
      ['乙', 110105, null],
      ['丙', '', 1],
    ]
    const stream = await cells(await streamed([rows.slice(0, 2), rows.slice(2)]))
    const built = await cells(await buildWorkbook([{ ...spec, rows }]))
    // The one difference: the streaming writer leaves an empty text as an empty cell.
    const blank = (rows: unknown[][]) => rows.map((r) => r.map((v) => (v === '' ? undefined : v)))
    expect(stream.rows).toEqual(blank(built.rows))
    expect(stream.rows[3]).toEqual(['序号', '姓名', '身份证号', '人数'])
    expect(stream.rows.slice(4).map((r) => r[0])).toEqual([1, 2, 3])
    // Numbers in text columns stay text, as `@`.
    const id = stream.sheet.getRow(6).getCell(3)
    expect(id.value).toBe('110105')
    expect(id.numFmt).toBe('@')
    expect(stream.sheet.getCell('A1').font?.bold).toBe(true)
    expect(stream.sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 })
  })

  it('makes formula-like text inert, as every writer does', async () => {
    const { rows } = await cells(await streamed([[['=HYPERLINK("http://x","y")', '-5', 1]]]))
    expect(rows[4]).toEqual([1, `'=HYPERLINK("http://x","y")`, '-5', 1])
  })
})
