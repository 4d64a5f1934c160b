/**
 * Writing .xlsx files (exports, templates): one header row in bold, frozen; columns marked `text`
 * are formatted as text (`@`) and written as strings, so ID numbers keep every digit and never show
 * as 1.10105E+17; dates are written as ISO `YYYY-MM-DD` text, which every locale reads the same.
 * Every text cell goes through `inertCellText` (formula injection), whichever writer makes it.
 */
import ExcelJS from 'exceljs'

const FORMULA_TRIGGER = /^[=+\-@\t\r\n]/
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/

/**
 * Text that a spreadsheet program could take for a formula (CSV/formula injection, OWASP): text
 * starting with `=`, `+`, `-`, `@`, a tab or a line break, such as `=HYPERLINK(...)` or
 * `=cmd|' /C calc'!A0` typed into a name or an imported file. exceljs already writes strings as
 * string cells, which Excel, WPS and LibreOffice do not evaluate on opening; but editing such a
 * cell, or saving the sheet as CSV and opening that, would run it. A leading apostrophe (OWASP's
 * advice) keeps it text everywhere. Plain signed numbers (`-5`, `+3.5`) and a lone character are
 * left as they are: they cannot run anything. Pure; every .xlsx writer applies it to every string.
 */
export function inertCellText(text: string): string {
  if (text.length < 2 || !FORMULA_TRIGGER.test(text) || PLAIN_NUMBER.test(text)) return text
  return `'${text}`
}

/** The value a writer puts in a cell of `column`: strings inert, text columns as strings. */
export function sheetCellValue(column: SheetColumn, value: string | number | null | undefined): string | number | null {
  if (value === null || value === undefined) return null
  if (column.text || typeof value === 'string') return inertCellText(String(value))
  return value
}

/**
 * Writes a workbook built directly with exceljs (reports with their own layout) after making
 * every string cell inert, so those exports follow the same rule as `buildWorkbook`.
 */
export async function workbookBuffer(book: ExcelJS.Workbook): Promise<Buffer> {
  for (const sheet of book.worksheets) {
    sheet.eachRow((row) => {
      row.eachCell((cell) => {
        if (typeof cell.value === 'string') cell.value = inertCellText(cell.value)
      })
    })
  }
  return Buffer.from(await book.xlsx.writeBuffer())
}

export interface SheetColumn {
  header: string
  width?: number
  /** Text cells (ID and phone numbers, codes): numFmt `@`, values written as strings. */
  text?: boolean
}

export type SheetValue = string | number | null | undefined

export interface SheetSpec {
  name: string
  columns: readonly SheetColumn[]
  rows: readonly (readonly SheetValue[])[]
  /**
   * Lines above the header row, each merged across the columns (the report's title, its filter,
   * the export time and user: see `exportHeading`). The header row and the panes follow them.
   */
  title?: readonly string[]
  /** Prepends a 序号 column numbering the rows from 1. */
  serial?: boolean
}

/** The title lines of an exported report: its name, the filter it was made with, and when and by whom. */
export function exportHeading(input: { title: string; filter: string; user: string; at?: Date }): string[] {
  const at = input.at ?? new Date()
  // China's wall clock (UTC+8), the time the reader's own reports use.
  const local = new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')
  return [input.title, `筛选条件：${input.filter || '全部'}`, `导出时间：${local}（北京时间）  导出人：${input.user}`]
}

/** A sheet's layout without its rows: what the in-memory and the streaming writers share. */
export type SheetLayout = Omit<SheetSpec, 'rows'>

/**
 * Lays out `spec` on a new worksheet of `workbook` (an in-memory Workbook or a streaming
 * WorkbookWriter): column widths and text formats, title lines merged across the columns, the
 * bold header row with the panes frozen below it. Returns how to add one data row (its 序号
 * counted here); every cell value goes through `sheetCellValue`.
 */
export function startSheet(workbook: ExcelJS.Workbook, spec: SheetLayout): (values: readonly SheetValue[]) => ExcelJS.Row {
  const titleLines = spec.title ?? []
  const columns: readonly SheetColumn[] = spec.serial ? [{ header: '序号', width: 6 }, ...spec.columns] : spec.columns
  const headerRow = titleLines.length + 1
  const sheet = workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: headerRow }] })
  sheet.columns = columns.map((c) => ({
    width: c.width ?? Math.max(10, c.header.length * 2 + 4),
    style: c.text ? { numFmt: '@' } : {},
  }))
  titleLines.forEach((line, i) => {
    const row = sheet.getRow(i + 1)
    row.getCell(1).value = inertCellText(line)
    row.getCell(1).numFmt = '@'
    if (i === 0) row.font = { bold: true, size: 14 }
    if (columns.length > 1) sheet.mergeCells(i + 1, 1, i + 1, columns.length)
  })
  const header = sheet.getRow(headerRow)
  columns.forEach((c, i) => {
    header.getCell(i + 1).value = inertCellText(c.header)
  })
  header.font = { bold: true }
  let serial = 0
  return (values) => {
    serial++
    const cells = spec.serial ? [serial, ...values] : values
    const row = sheet.addRow(columns.map((c, i) => sheetCellValue(c, cells[i])))
    columns.forEach((c, i) => {
      if (c.text) row.getCell(i + 1).numFmt = '@'
    })
    return row
  }
}

export async function buildWorkbook(sheets: readonly SheetSpec[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'Tiaojie'
  workbook.created = new Date()
  for (const spec of sheets) {
    const addRow = startSheet(workbook, spec)
    for (const values of spec.rows) addRow(values)
  }
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/**
 * `Content-Disposition: attachment` with an ASCII fallback and the real (Chinese) name encoded per
 * RFC 5987 / RFC 6266, so `专家库导出-2026-11-23.xlsx` arrives intact in every browser.
 */
export function attachmentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`
}

/** A spreadsheet download: attachment, never cached, never sniffed. */
export function spreadsheetResponse(body: Buffer, fileName: string): Response {
  return new Response(new Uint8Array(body), {
    headers: {
      'Content-Type': XLSX_MIME,
      'Content-Length': String(body.length),
      'Content-Disposition': attachmentDisposition(fileName),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
