/**
 * The training archive as an .xlsx workbook (exceljs), with the same data as the printable page;
 * and the compliance report's sheet, written by its background export.
 */
import ExcelJS from 'exceljs'
import { translate, type Locale } from '#app/lib/i18n.ts'
import { type SheetLayout, type SheetValue, workbookBuffer } from '#app/lib/xlsx/write.server.ts'
import type { ArchiveRecord } from './archive.server.ts'
import type { complianceLines } from './compliance-view.server.ts'
import type { OrgSummary } from './compliance.server.ts'
import type { ArchiveDrill } from './drill-hours.ts'
import { kindLabel, recordStatusLabel, sourceLabel } from './labels.ts'

export async function archiveWorkbook(
  locale: Locale,
  name: string,
  years: { year: number; hours: number }[],
  records: ArchiveRecord[],
  drills: readonly ArchiveDrill[] = [],
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
  if (drills.length) {
    sheet.addRow([])
    sheet.addRow([t('training.archive.drills'), t('training.archive.date'), t('training.archive.hours'), t('training.archive.status')])
    for (const d of drills) {
      sheet.addRow([
        d.title,
        d.completedOn,
        d.creditHours,
        `${t('training.archive.drillScore', { score: d.best })} · ${t(d.passed ? 'training.archive.drillPassed' : 'training.archive.drillNotPassed')}`,
      ])
    }
  }
  sheet.getColumn(1).width = 40
  for (const c of [2, 3, 4, 5, 6, 7]) sheet.getColumn(c).width = 16
  return new Uint8Array(await workbookBuffer(book))
}

/** Excel sheet names: at most 31 characters, none of : \\ / ? * [ ]. */
function sheetName(name: string): string {
  return name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31)
}

type Translate = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => string

/**
 * The compliance report's sheet as the page shows it, without its rows: the summary per
 * organisation in scope, or one organisation's mediators. Names and figures only; the report
 * carries no personal numbers. Written by the background export
 * (app/modules/jobs/exports/compliance.server.ts) with the rows of the functions below.
 */
export function complianceSheetLayout(locale: Locale, year: number, part: 'summary' | 'report'): SheetLayout {
  const t: Translate = (key, params) => translate(locale, key, params)
  const name = sheetName(t('training.compliance.sheetSummary', { year }))
  if (part === 'report') {
    return {
      name,
      columns: [
        { header: t('training.compliance.org'), width: 30 },
        { header: t('common.name'), width: 16 },
        { header: t('training.compliance.category'), width: 20 },
        { header: t('training.compliance.required') },
        { header: t('training.compliance.earned') },
        { header: t('training.compliance.missing') },
        { header: t('training.compliance.status') },
        { header: t('training.compliance.preService'), width: 16 },
      ],
    }
  }
  return {
    name,
    columns: [
      { header: t('training.compliance.org'), width: 30 },
      { header: t('training.compliance.mediators') },
      { header: t('training.compliance.behind'), width: 24 },
      { header: t('training.compliance.preServiceOverdue') },
    ],
  }
}

/** One organisation's line of the summary. */
export function complianceSummaryRow(locale: Locale, s: OrgSummary): SheetValue[] {
  const t: Translate = (key, params) => translate(locale, key, params)
  return [s.orgName, s.mediators, s.hasPlan ? s.behind : t('training.compliance.noPlan'), s.hasPlan ? s.preServiceOverdue : null]
}

/** One mediator's line of an organisation's report. */
export function complianceReportRow(locale: Locale, orgName: string, m: ReturnType<typeof complianceLines>[number]): SheetValue[] {
  const t: Translate = (key, params) => translate(locale, key, params)
  return [
    orgName,
    m.name,
    t(`training.audience.${m.category}`),
    m.required,
    m.earned,
    m.missing,
    t(m.behind ? 'training.compliance.isBehind' : 'training.compliance.onTrack'),
    t(`training.preService.${m.preService}`),
  ]
}
