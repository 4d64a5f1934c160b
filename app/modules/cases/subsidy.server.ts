/**
 * 专家咨询补贴: hours recorded on submitted or rated consultations × the configured rate, for the
 * cases in the user's scope; exported as .xlsx for payment with ID numbers masked.
 */
import ExcelJS from 'exceljs'
import type { Executor } from '#app/lib/db.server.ts'
import { translate, type Locale } from '#app/lib/i18n.ts'
import { scopeCondition } from '#app/lib/list-scope.server.ts'
import { workbookBuffer } from '#app/lib/xlsx/write.server.ts'
import type { ListScope } from '#app/modules/auth/policy.ts'
import { activeMatchConfig } from './matching.server.ts'

export interface SubsidyLine {
  consultationId: string
  caseNumber: string
  expertName: string
  idMasked: string | null
  employer: string
  hours: number
  submittedAt: string | null
  rating: number | null
  fen: number
}

export async function subsidyLines(
  db: Executor,
  scope: ListScope,
  from: string,
  to: string,
): Promise<{ rateFen: number; lines: SubsidyLine[] }> {
  const { subsidyFenPerHour } = await activeMatchConfig(db)
  const rows = await db
    .selectFrom('case_consultations as x')
    .innerJoin('cases as c', 'c.id', 'x.case_id')
    .innerJoin('experts as e', 'e.person_id', 'x.expert_id')
    .innerJoin('people as p', 'p.id', 'x.expert_id')
    .select(['x.id', 'c.case_number', 'e.name', 'p.id_number_masked', 'e.employer', 'x.hours_tenths', 'x.submitted_at', 'x.rating'])
    .where(scopeCondition(scope, { region: 'c.region_code', org: 'c.org_id' }))
    .where('x.status', 'in', ['submitted', 'rated'])
    .where('x.submitted_at', '>=', `${from}T00:00:00.000Z`)
    .where('x.submitted_at', '<=', `${to}T23:59:59.999Z`)
    .orderBy('x.submitted_at')
    .limit(10_000)
    .execute()
  return {
    rateFen: subsidyFenPerHour,
    lines: rows.map((r) => ({
      consultationId: r.id,
      caseNumber: r.case_number,
      expertName: r.name,
      idMasked: r.id_number_masked,
      employer: r.employer,
      hours: (r.hours_tenths ?? 0) / 10,
      submittedAt: r.submitted_at,
      rating: r.rating,
      fen: Math.round(((r.hours_tenths ?? 0) * subsidyFenPerHour) / 10),
    })),
  }
}

export async function subsidyWorkbook(locale: Locale, rateFen: number, lines: readonly SubsidyLine[]): Promise<Uint8Array<ArrayBuffer>> {
  const t = (key: Parameters<typeof translate>[1]) => translate(locale, key)
  const book = new ExcelJS.Workbook()
  const sheet = book.addWorksheet(t('cases.subsidy.title'))
  sheet.addRow([
    t('cases.field.caseNumber'),
    t('cases.rec.expert'),
    t('cases.subsidy.idNumber'),
    t('cases.subsidy.employer'),
    t('cases.consultation.hours'),
    t('cases.subsidy.rate'),
    t('cases.subsidy.amount'),
  ])
  for (const l of lines) sheet.addRow([l.caseNumber, l.expertName, l.idMasked ?? '', l.employer, l.hours, rateFen / 100, l.fen / 100])
  sheet.addRow([])
  sheet.addRow([
    t('cases.subsidy.total'),
    '',
    '',
    '',
    lines.reduce((s, l) => s + l.hours, 0),
    '',
    lines.reduce((s, l) => s + l.fen, 0) / 100,
  ])
  sheet.getRow(1).font = { bold: true }
  return new Uint8Array(await workbookBuffer(book))
}
