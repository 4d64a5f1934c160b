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
 * Files beyond a few hundred .xlsx rows (or a quarter megabyte of .csv) are parsed in a worker
 * thread (read-worker.server.ts), so an import never holds up other requests; sheet.ts is the
 * parsing both paths share.
 */
import ExcelJS from 'exceljs'
import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
} from '@remix-run/node'
import { readSheetInWorker } from './read-worker.server.ts'
import { type SheetData, type SpreadsheetKind, sheetFromCsv, sheetFromXlsx } from './sheet.ts'

export { type SheetData, type SheetRow, SpreadsheetError, type SpreadsheetKind, cellText } from './sheet.ts'

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

/**
 * From this many bytes up, a file is read in a worker thread (read-worker.server.ts). Measured on
 * the 2-core reference box under load, inline parsing costs the main thread about 1 ms per KB of
 * .xlsx (a 300-row, 11 KB attendance sheet ~10 ms; the 2,000-row one, 39 KB, 30–40 ms with
 * stretches of 20 ms and more; 5,000 × 12 cells, 340 KB, ~0.3 s) and about 30 µs per KB of .csv,
 * in one stretch (2,000 × 3 cells, 80 KB, 2–10 ms; 5,000 × 12, 0.76 MB, 20–40 ms; a 5 MB upload
 * 130–170 ms). The worker path costs the main thread 1–5 ms (starting the thread, receiving the
 * rows; a little more for 60,000 cells) whatever the size, but adds wall time: ~0.3 s for an .xlsx
 * (starting a thread and loading exceljs, on another core), ~0.1 s for a .csv.
 */
export const WORKER_MIN_BYTES: Record<SpreadsheetKind, number> = { xlsx: 16_000, csv: 256_000 }

export interface ReadOptions {
  maxRows: number
  /** Overrides WORKER_MIN_BYTES (tests force either path: 0 always, Infinity never). */
  workerMinBytes?: number
  /** Time limit of the worker (default 30 s); a file over it is refused as unreadable. */
  timeLimitMs?: number
}

/**
 * Reads the first sheet; throws SpreadsheetError for files that are not what they claim or too big.
 * A file of WORKER_MIN_BYTES or more is parsed in a worker thread, a smaller one inline (parsing it
 * costs the event loop less than handing it to a worker would add in wall time).
 */
export async function readSpreadsheet(bytes: Uint8Array, kind: SpreadsheetKind, options: ReadOptions): Promise<SheetData> {
  if (bytes.byteLength >= (options.workerMinBytes ?? WORKER_MIN_BYTES[kind])) {
    return readSheetInWorker(kind, bytes, options.maxRows, options.timeLimitMs)
  }
  return kind === 'xlsx' ? sheetFromXlsx(ExcelJS, bytes, options.maxRows) : sheetFromCsv(bytes, options.maxRows)
}
