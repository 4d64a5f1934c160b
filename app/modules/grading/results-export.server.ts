/**
 * A round's results: the ranking per grade (score, rank, status, why), as the page shows it and as
 * the .xlsx filed with the justice bureau (备案). ID numbers are masked unless the user may reveal
 * them for that person (person:reveal in scope); the export says who made it and when.
 */
import ExcelJS from 'exceljs'
import { decrypt } from '#app/lib/crypto.server.ts'
import type { Executor } from '#app/lib/db.server.ts'
import { translate, type Locale, type MessageKey } from '#app/lib/i18n.ts'
import { workbookBuffer } from '#app/lib/xlsx/write.server.ts'
import type { RecordScope } from '#app/modules/auth/policy.ts'
import type { GradingApplicationStatus } from '#db/schema.ts'
import { formatHundredths } from './aggregate.ts'
import { statusLabel } from './notice.ts'
import { gradeName, type LoadedRound } from './round-scope.server.ts'

export interface ResultRow {
  applicationId: string
  personId: string
  name: string
  orgName: string
  gradeCode: string
  gradeName: string
  /** Hundredths of a point. */
  finalScore: number | null
  rank: number | null
  status: GradingApplicationStatus
  outcomeReason: string | null
  idNumberMasked: string | null
  /** Where the person sits, for the reveal check. */
  scope: RecordScope
}

export interface ResultGroup {
  gradeCode: string
  gradeName: string
  rows: ResultRow[]
}

/** Statuses that belong in a ranking (withdrawn and ineligible applications never reached scoring). */
const RANKED: GradingApplicationStatus[] = ['scored', 'proposed', 'not_awarded', 'awarded', 'recommended']

/** Per grade of the ladder (highest first): ranked rows by rank, then the unranked by name. */
export async function roundResults(db: Executor, loaded: LoadedRound): Promise<ResultGroup[]> {
  const rows = await db
    .selectFrom('grading_applications as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .innerJoin('organisations as o', 'o.id', 'a.org_id')
    .innerJoin('regions as rg', 'rg.code', 'p.region_code')
    .select([
      'a.id',
      'a.person_id',
      'p.name',
      'o.name as org_name',
      'a.org_id',
      'rg.path',
      'a.grade_code',
      'a.final_score',
      'a.rank_in_grade',
      'a.status',
      'a.outcome_reason',
      'p.id_number_masked',
    ])
    .where('a.round_id', '=', loaded.round.id)
    .where('a.status', 'in', RANKED)
    .execute()
  const grades = [...loaded.config.grades].sort((a, b) => a.rank - b.rank).map((g) => g.code)
  for (const code of new Set(rows.map((r) => r.grade_code))) if (!grades.includes(code)) grades.push(code)
  return grades
    .map((code) => ({
      gradeCode: code,
      gradeName: gradeName(loaded.config, code),
      rows: rows
        .filter((r) => r.grade_code === code)
        .map(
          (r): ResultRow => ({
            applicationId: r.id,
            personId: r.person_id,
            name: r.name,
            orgName: r.org_name,
            gradeCode: r.grade_code,
            gradeName: gradeName(loaded.config, r.grade_code),
            finalScore: r.final_score === null ? null : Number(r.final_score),
            rank: r.rank_in_grade === null ? null : Number(r.rank_in_grade),
            status: r.status,
            outcomeReason: r.outcome_reason,
            idNumberMasked: r.id_number_masked,
            scope: { personId: r.person_id, orgId: r.org_id, regionPath: r.path },
          }),
        )
        .sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || a.name.localeCompare(b.name, 'zh-CN')),
    }))
    .filter((g) => g.rows.length > 0)
}

/** Full ID numbers of the given people (only those the caller decided may be revealed). */
export async function fullIdNumbers(db: Executor, personIds: string[]): Promise<Map<string, string>> {
  if (!personIds.length) return new Map()
  const rows = await db.selectFrom('people').select(['id', 'id_number_enc']).where('id', 'in', personIds).execute()
  return new Map(rows.filter((r) => r.id_number_enc).map((r) => [r.id, decrypt(r.id_number_enc!)]))
}

export interface WorkbookMeta {
  locale: Locale
  exportedAt: string
  exportedBy: string
  /** Full ID numbers for the rows the user may reveal; others stay masked. */
  revealed: Map<string, string>
}

/**
 * One sheet: a title row (round, association, export time and user), an empty row, then the
 * header (序号 first) and one row per result, grade by grade. ID numbers are text cells.
 */
export async function resultsWorkbook(loaded: LoadedRound, groups: ResultGroup[], meta: WorkbookMeta): Promise<Buffer> {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(meta.locale, key, params)
  const book = new ExcelJS.Workbook()
  book.creator = 'Tiaojie'
  const sheet = book.addWorksheet(t('gradingNotice.results.sheet'), { views: [{ state: 'frozen', ySplit: 3 }] })
  sheet.addRow([
    t('gradingNotice.results.exportTitle', {
      round: loaded.round.title,
      association: loaded.associationName,
      at: meta.exportedAt,
      user: meta.exportedBy,
    }),
  ])
  sheet.getRow(1).font = { bold: true, size: 13 }
  sheet.addRow([])
  const headers = [
    t('gradingNotice.results.seq'),
    t('gradingNotice.results.grade'),
    t('gradingNotice.results.rank'),
    t('gradingNotice.results.name'),
    t('gradingNotice.results.idNumber'),
    t('gradingNotice.results.org'),
    t('gradingNotice.results.score'),
    t('gradingNotice.results.status'),
    t('gradingNotice.results.reason'),
  ]
  sheet.addRow(headers)
  sheet.getRow(3).font = { bold: true }
  sheet.getColumn(5).numFmt = '@'
  let seq = 0
  for (const group of groups) {
    for (const r of group.rows) {
      seq++
      const row = sheet.addRow([
        seq,
        group.gradeName,
        r.rank,
        r.name,
        meta.revealed.get(r.personId) ?? r.idNumberMasked ?? '',
        r.orgName,
        r.finalScore === null ? null : formatHundredths(r.finalScore),
        t(statusLabel(r.status)),
        r.outcomeReason,
      ])
      row.getCell(5).numFmt = '@'
      row.getCell(7).numFmt = '@'
    }
  }
  const widths = [6, 18, 6, 12, 22, 28, 10, 12, 40]
  widths.forEach((w, i) => {
    sheet.getColumn(i + 1).width = w
  })
  return workbookBuffer(book)
}
