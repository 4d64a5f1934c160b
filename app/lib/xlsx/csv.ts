/**
 * A small RFC 4180 CSV reader (pure). Chosen over exceljs's CSV support (fast-csv) on purpose:
 * exceljs converts cell text to numbers and dates while reading, which turns an 18-digit ID number
 * into a float that has lost its last digits and a phone number into a number; a spreadsheet
 * importer needs every cell exactly as written. Handles quoted fields (doubled quotes, commas and
 * line breaks inside quotes), CRLF, LF or CR line ends, a UTF-8 byte-order mark, and files saved
 * by Excel in China (GB 18030 when the bytes are not UTF-8).
 */

/** Decodes CSV bytes: UTF-8 (BOM or not), otherwise GB 18030 (what Excel writes on a Chinese system). */
export function decodeCsvBytes(bytes: Uint8Array): string {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    text = new TextDecoder('gb18030').decode(bytes)
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

/** Parses CSV text into rows of cells. A final empty line does not make a row. */
export function parseCsv(text: string): string[][] {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  let i = 0
  const endCell = () => {
    row.push(cell)
    cell = ''
  }
  const endRow = () => {
    endCell()
    rows.push(row)
    row = []
  }
  while (i < input.length) {
    const c = input[i]!
    if (quoted) {
      if (c === '"') {
        if (input[i + 1] === '"') {
          cell += '"'
          i += 2
          continue
        }
        quoted = false
        i++
        continue
      }
      cell += c
      i++
      continue
    }
    if (c === '"' && cell === '') {
      quoted = true
      i++
    } else if (c === ',') {
      endCell()
      i++
    } else if (c === '\r') {
      endRow()
      i += input[i + 1] === '\n' ? 2 : 1
    } else if (c === '\n') {
      endRow()
      i++
    } else {
      cell += c
      i++
    }
  }
  if (cell !== '' || row.length || quoted) endRow()
  return rows
}

/** One CSV field, quoted when it must be (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}
