/**
 * Writing .xlsx files (exports, templates): one header row in bold, frozen; columns marked `text`
 * are formatted as text (`@`) and written as strings, so ID numbers keep every digit and never show
 * as 1.10105E+17; dates are written as ISO `YYYY-MM-DD` text, which every locale reads the same.
 */
import ExcelJS from 'exceljs'

export interface SheetColumn {
  header: string
  width?: number
  /** Text cells (ID and phone numbers, codes): numFmt `@`, values written as strings. */
  text?: boolean
}

export interface SheetSpec {
  name: string
  columns: readonly SheetColumn[]
  rows: readonly (readonly (string | number | null | undefined)[])[]
}

export async function buildWorkbook(sheets: readonly SheetSpec[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'Tiaojie'
  workbook.created = new Date()
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] })
    sheet.columns = spec.columns.map((c) => ({
      header: c.header,
      width: c.width ?? Math.max(10, c.header.length * 2 + 4),
      style: c.text ? { numFmt: '@' } : {},
    }))
    sheet.getRow(1).font = { bold: true }
    for (const values of spec.rows) {
      const row = sheet.addRow(
        spec.columns.map((c, i) => {
          const v = values[i]
          if (v === null || v === undefined) return null
          return c.text ? String(v) : v
        }),
      )
      spec.columns.forEach((c, i) => {
        if (c.text) row.getCell(i + 1).numFmt = '@'
      })
    }
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
