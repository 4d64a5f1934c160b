/** The training archive as an .xlsx workbook (exceljs), with the same data as the printable page. */
import ExcelJS from 'exceljs'
import { translate, type Locale } from '#app/lib/i18n.ts'
import type { ArchiveRecord } from './archive.server.ts'
import { kindLabel, recordStatusLabel, sourceLabel } from './labels.ts'

export async function archiveWorkbook(
  locale: Locale,
  name: string,
  years: { year: number; hours: number }[],
  records: ArchiveRecord[],
): Promise<Uint8Array<ArrayBuffer>> {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(locale, key, params)
  const book = new ExcelJS.Workbook()
  const sheet = book.addWorksheet(t('training.archive.records'))
  sheet.addRow([t('training.archive.titleOf', { name })])
  sheet.addRow([])
  sheet.addRow([t('training.archive.year'), t('training.archive.hours')])
  for (const y of years) sheet.addRow([y.year, y.hours])
  sheet.addRow([])
  sheet.addRow([
    t('training.archive.course'),
    t('training.archive.kind'),
    t('training.archive.source'),
    t('training.archive.date'),
    t('training.archive.hours'),
    t('training.archive.status'),
    t('training.archive.certificate'),
  ])
  for (const r of records) {
    sheet.addRow([
      r.title,
      t(kindLabel(r.kind)),
      t(sourceLabel(r.source)),
      r.completedOn,
      r.hours,
      t(recordStatusLabel(r.status)),
      r.certificateNumber ?? '',
    ])
  }
  sheet.getColumn(1).width = 40
  for (const c of [2, 3, 4, 5, 6, 7]) sheet.getColumn(c).width = 16
  return new Uint8Array(await book.xlsx.writeBuffer())
}
