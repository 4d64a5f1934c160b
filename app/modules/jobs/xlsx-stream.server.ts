/**
 * The streaming twin of `buildWorkbook` (app/lib/xlsx/write.server.ts) for background exports:
 * the same layout (title lines merged across the columns, bold header row frozen below them, a
 * 序号 column, text cells as `@` strings), written row by row with exceljs' WorkbookWriter, so a
 * 40,000-row register is never held in memory and each batch is committed and compressed as it
 * comes. The layout and the cell rules (formula-like text made inert) are `startSheet`'s.
 */
import type { Writable } from 'node:stream'
import ExcelJS from 'exceljs'
import { type SheetLayout, type SheetValue, startSheet } from '#app/lib/xlsx/write.server.ts'

export type { SheetValue }
export type StreamSheetSpec = SheetLayout

export interface SheetStream {
  /** Appends rows (without the 序号, which is counted here) and commits them to the stream. */
  addRows(rows: readonly (readonly SheetValue[])[]): void
  /** Ends the sheet and the workbook; resolves when the writer has flushed everything. */
  finish(): Promise<void>
}

export function openSheetStream(out: Writable, spec: StreamSheetSpec): SheetStream {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false })
  workbook.creator = 'Tiaojie'
  workbook.created = new Date()
  const addRow = startSheet(workbook, spec)
  return {
    addRows(rows) {
      for (const values of rows) addRow(values).commit()
    },
    async finish() {
      // Commits the worksheet, then the workbook.
      await workbook.commit()
    },
  }
}
