/**
 * Reading the first sheet of an uploaded .xlsx or .csv into rows of text cells, for importers (the
 * expert pool now, training attendance later). Every cell comes back as the text a person typed:
 * dates as ISO `YYYY-MM-DD`, numbers without exponent or grouping, rich text flattened, formulas as
 * their cached result. A number of 16 or more digits cannot have survived Excel intact (ID numbers
 * typed into a number cell lose their last digits), so such cells are reported in `lossy`.
 *
 * The file type is decided by its first bytes and its name together (security checklist 22): an
 * .xlsx is a ZIP (`PK\x03\x04`) named .xlsx; a .csv is named .csv and holds no NUL byte. Files are
 * read whole (exceljs `xlsx.load`): uploads are capped while streaming (`readUploadedFile`) well
 * below what that costs, and the streaming WorkbookReader would not make the cap any safer.
 */
import ExcelJS from 'exceljs'
import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
} from '@remix-run/node'
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

export class SpreadsheetError extends Error {
  constructor(readonly reason: 'type' | 'unreadable' | 'empty' | 'tooManyRows') {
    super(`Spreadsheet: ${reason}`)
  }
}

export function detectSpreadsheetKind(bytes: Uint8Array, fileName: string): SpreadsheetKind | null {
  const extension = fileName.toLowerCase().split('.').pop() ?? ''
  const zip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04
  if (extension === 'xlsx') return zip ? 'xlsx' : null
  if (extension === 'csv') return !zip && !bytes.subarray(0, 8192).includes(0) ? 'csv' : null
  return null
}

export type UploadedFile = { ok: true; bytes: Uint8Array; name: string; fields: FormData } | { ok: false; error: 'missing' | 'tooLarge' }

/** Reads the file field `field` of a multipart request, refusing anything over `maxBytes` as it streams. */
export async function readUploadedFile(request: Request, field: string, maxBytes: number): Promise<UploadedFile> {
  const handler = createMemoryUploadHandler({ maxPartSize: maxBytes, filter: ({ name }) => name === field })
  let form: FormData
  try {
    form = await parseMultipartFormData(request, handler)
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { ok: false, error: 'tooLarge' }
    throw error
  }
  const file = form.get(field)
  if (!(file instanceof Blob) || file.size === 0) return { ok: false, error: 'missing' }
  const name = file instanceof File ? file.name : ''
  return { ok: true, bytes: new Uint8Array(await file.arrayBuffer()), name, fields: form }
}

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

function finish(all: SheetRow[], maxRows: number): SheetData {
  const nonEmpty = all.filter((r) => r.cells.some((c) => c.trim() !== ''))
  const [header, ...rows] = nonEmpty
  if (!header) throw new SpreadsheetError('empty')
  if (rows.length > maxRows) throw new SpreadsheetError('tooManyRows')
  return { headers: header.cells.map((c) => c.trim()), rows }
}

async function readXlsx(bytes: Uint8Array, maxRows: number): Promise<SheetData> {
  const workbook = new ExcelJS.Workbook()
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
  return finish(rows, maxRows)
}

function readCsv(bytes: Uint8Array, maxRows: number): SheetData {
  const records = parseCsv(decodeCsvBytes(bytes))
  if (records.length > maxRows + 1 + 1000) throw new SpreadsheetError('tooManyRows')
  return finish(
    records.map((cells, i) => ({ rowNumber: i + 1, cells, lossy: [] })),
    maxRows,
  )
}

/** Reads the first sheet; throws SpreadsheetError for files that are not what they claim or too big. */
export async function readSpreadsheet(bytes: Uint8Array, kind: SpreadsheetKind, options: { maxRows: number }): Promise<SheetData> {
  return kind === 'xlsx' ? readXlsx(bytes, options.maxRows) : readCsv(bytes, options.maxRows)
}
