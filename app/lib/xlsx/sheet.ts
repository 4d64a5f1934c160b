/**
 * The sheet model importers read (SheetData) and the functions that turn .xlsx and .csv bytes into
 * it. Shared, unchanged, by the inline path (read.server.ts) and the worker thread
 * (read-worker.server.ts, which bundles this file into its source), so both give identical results.
 *
 * exceljs is passed in rather than imported: the worker loads it by absolute path from
 * node_modules (as the HiGHS worker loads `highs`) instead of bundling its 2.5 MB into the worker's
 * source, which would block the event loop for ~0.45 s to build once per process.
 */
import type ExcelJS from 'exceljs'
import { decodeCsvBytes, parseCsv } from './csv.ts'

export type SpreadsheetKind = 'xlsx' | 'csv'

export interface SheetRow {
  /** The row number a spreadsheet program shows (the header row is 1). */
  rowNumber: number
  cells: string[]
  /** Column indexes (0-based) of numbers too long to be exact. */
  lossy: number[]
}

export interface SheetData {
  headers: string[]
  rows: SheetRow[]
}

export type SpreadsheetErrorReason = 'type' | 'unreadable' | 'empty' | 'tooManyRows'

export class SpreadsheetError extends Error {
  constructor(readonly reason: SpreadsheetErrorReason) {
    super(`Spreadsheet: ${reason}`)
  }
}

/** What sheetFromXlsx needs of the exceljs module. */
type ExcelModule = Pick<typeof ExcelJS, 'Workbook'>

const isoDate = (d: Date) => d.toISOString().slice(0, 10)

function numberText(n: number): { text: string; lossy: boolean } {
  if (Number.isInteger(n)) {
    const text = Math.abs(n) < 1e21 ? BigInt(n).toString() : String(n)
    return { text, lossy: text.replace('-', '').length >= 16 }
  }
  return { text: String(n), lossy: false }
}

/** The text of one exceljs cell value. */
export function cellText(value: ExcelJS.CellValue): { text: string; lossy: boolean } {
  if (value === null || value === undefined) return { text: '', lossy: false }
  if (typeof value === 'string') return { text: value, lossy: false }
  if (typeof value === 'number') return numberText(value)
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE', lossy: false }
  if (value instanceof Date) return { text: Number.isNaN(value.getTime()) ? '' : isoDate(value), lossy: false }
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return { text: value.richText.map((r) => r.text).join(''), lossy: false }
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: unknown }).result
      if (result && typeof result === 'object' && 'error' in result) return { text: '', lossy: false }
      return cellText((result ?? null) as ExcelJS.CellValue)
    }
    if ('text' in value && typeof value.text === 'string') return { text: value.text, lossy: false }
    if ('error' in value) return { text: '', lossy: false }
  }
  return { text: '', lossy: false }
}

/** Header and rows of a sheet: blank rows dropped, the first remaining row is the header. */
export function sheetFromRows(all: SheetRow[], maxRows: number): SheetData {
  const nonEmpty = all.filter((r) => r.cells.some((c) => c.trim() !== ''))
  const [header, ...rows] = nonEmpty
  if (!header) throw new SpreadsheetError('empty')
  if (rows.length > maxRows) throw new SpreadsheetError('tooManyRows')
  return { headers: header.cells.map((c) => c.trim()), rows }
}

/** The first sheet of an .xlsx file; throws SpreadsheetError. */
export async function sheetFromXlsx(excel: ExcelModule, bytes: Uint8Array, maxRows: number): Promise<SheetData> {
  const workbook = new excel.Workbook()
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer)
  } catch {
    throw new SpreadsheetError('unreadable')
  }
  const sheet = workbook.worksheets[0]
  if (!sheet) throw new SpreadsheetError('empty')
  // Stop early on absurd sheets rather than building every row first.
  if (sheet.actualRowCount > maxRows + 1) throw new SpreadsheetError('tooManyRows')
  const rows: SheetRow[] = []
  const width = sheet.columnCount
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = []
    const lossy: number[] = []
    for (let c = 1; c <= width; c++) {
      const { text, lossy: lost } = cellText(row.getCell(c).value)
      cells.push(text)
      if (lost) lossy.push(c - 1)
    }
    rows.push({ rowNumber, cells, lossy })
  })
  return sheetFromRows(rows, maxRows)
}

/** The rows of a .csv file; throws SpreadsheetError. */
export function sheetFromCsv(bytes: Uint8Array, maxRows: number): SheetData {
  const records = parseCsv(decodeCsvBytes(bytes))
  if (records.length > maxRows + 1 + 1000) throw new SpreadsheetError('tooManyRows')
  return sheetFromRows(
    records.map((cells, i) => ({ rowNumber: i + 1, cells, lossy: [] })),
    maxRows,
  )
}
