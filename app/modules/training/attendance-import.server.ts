/**
 * Importing the attendance of an offline training session from .xlsx/.csv, in one request: read
 * with the shared spreadsheet helpers, check every row against the database (card numbers in the
 * user's scope, names, duplicates, attendances already recorded), then write either every row
 * (only when all are clean) or only the clean rows, in one transaction with its audit entry.
 * Attendance has a unique key per session and person, so importing the same file twice adds nothing.
 */
import { audit } from '#app/lib/audit.server.ts'
import type { DB, Executor } from '#app/lib/db.server.ts'
import { type SheetData, SpreadsheetError, detectSpreadsheetKind, readSpreadsheet } from '#app/lib/xlsx/read.server.ts'
import { mapHeaders } from '#app/lib/xlsx/headers.ts'
import { buildWorkbook } from '#app/lib/xlsx/write.server.ts'
import { type AuthUser, actorOf, may } from '#app/modules/auth/authz.server.ts'
import {
  ATTENDANCE_COLUMNS,
  ATTENDANCE_LIMITS,
  type AttendanceRowInput,
  type CardHolder,
  type CheckedRow,
  checkAttendanceRows,
} from './attendance-import.ts'
import { recordAttendance, type SessionRow } from './sessions.server.ts'

export type ImportMode = 'all' | 'valid'

export type AttendanceImportOutcome =
  | { ok: false; error: 'type' | 'unreadable' | 'empty' | 'tooManyRows' | 'noRows'; columns?: undefined }
  | { ok: false; error: 'missingColumns'; columns: string[] }
  | {
      ok: true
      imported: number
      rows: number
      bad: { rowNumber: number; cardNumber: string; name: string; problems: CheckedRow['problems'] }[]
    }

const LOOKUP_CHUNK = 500

async function cardHolders(db: Executor, user: AuthUser, sessionId: string, cards: string[]): Promise<Map<string, CardHolder>> {
  const holders = new Map<string, CardHolder>()
  for (let i = 0; i < cards.length; i += LOOKUP_CHUNK) {
    const chunk = cards.slice(i, i + LOOKUP_CHUNK)
    const rows = await db
      .selectFrom('mediators as m')
      .innerJoin('people as p', 'p.id', 'm.person_id')
      .innerJoin('regions as r', 'r.code', 'p.region_code')
      .select((eb) => [
        'm.card_number',
        'm.person_id',
        'm.org_id',
        'p.name',
        'r.path as region_path',
        eb
          .selectFrom('training_records as a')
          .select('a.id')
          .whereRef('a.person_id', '=', 'm.person_id')
          .where('a.session_id', '=', sessionId)
          .limit(1)
          .as('recorded'),
      ])
      .where('m.card_number', 'in', chunk)
      .execute()
    for (const r of rows) {
      if (!r.card_number) continue
      holders.set(r.card_number, {
        personId: r.person_id,
        name: r.name,
        inScope: may(user, 'training:manage', { regionPath: r.region_path, orgId: r.org_id, personId: r.person_id }),
        alreadyRecorded: r.recorded !== null,
      })
    }
  }
  return holders
}

function rowsOf(sheet: SheetData, columns: Partial<Record<'cardNumber' | 'name' | 'assessment', number>>): AttendanceRowInput[] {
  const cell = (cells: string[], index: number | undefined) => (index === undefined ? '' : (cells[index] ?? '').trim())
  return sheet.rows.map((r) => ({
    rowNumber: r.rowNumber,
    cardNumber: cell(r.cells, columns.cardNumber),
    name: cell(r.cells, columns.name),
    assessment: cell(r.cells, columns.assessment),
  }))
}

/** Checks the file and, by `mode`, writes all rows (only if every row is clean) or the clean rows only. */
export async function importAttendance(
  db: DB,
  request: Request,
  user: AuthUser,
  session: SessionRow,
  file: { bytes: Uint8Array; name: string },
  mode: ImportMode,
): Promise<AttendanceImportOutcome> {
  const kind = detectSpreadsheetKind(file.bytes, file.name)
  if (!kind) return { ok: false, error: 'type' }
  let sheet: SheetData
  try {
    sheet = await readSpreadsheet(file.bytes, kind, { maxRows: ATTENDANCE_LIMITS.maxRows })
  } catch (error) {
    if (error instanceof SpreadsheetError) return { ok: false, error: error.reason }
    throw error
  }
  const mapping = mapHeaders(sheet.headers, ATTENDANCE_COLUMNS)
  if (mapping.missing.length) return { ok: false, error: 'missingColumns', columns: mapping.missing }
  const input = rowsOf(sheet, mapping.columns)
  if (!input.length) return { ok: false, error: 'noRows' }

  return db.transaction().execute(async (trx) => {
    const cards = [...new Set(input.map((r) => r.cardNumber).filter((c) => c && c.length <= ATTENDANCE_LIMITS.cardNumber))]
    const checked = checkAttendanceRows(input, await cardHolders(trx, user, session.id, cards))
    const bad = checked.filter((r) => r.problems.length)
    let imported = 0
    if (mode === 'valid' || bad.length === 0) {
      for (const row of checked) {
        if (!row.personId) continue
        if (await recordAttendance(trx, session, row.personId, row.assessment || null, user.userId)) imported++
      }
    }
    await audit(trx, request, actorOf(user), {
      action: 'training.attendance_imported',
      recordType: 'training_session',
      recordId: session.id,
      result: imported > 0 || bad.length === 0 ? 'ok' : 'failed',
      detail: { mode, rows: checked.length, imported, badRows: bad.length },
    })
    return {
      ok: true as const,
      imported,
      rows: checked.length,
      bad: bad.map((r) => ({ rowNumber: r.rowNumber, cardNumber: r.cardNumber, name: r.name, problems: r.problems })),
    }
  })
}

/** The template: the three columns with their Chinese headers, the card number as text. */
export function attendanceTemplate(): Promise<Buffer> {
  return buildWorkbook([
    {
      name: '参训人员',
      columns: [
        { header: ATTENDANCE_COLUMNS[0].header, text: true, width: 20 },
        { header: ATTENDANCE_COLUMNS[1].header, width: 14 },
        { header: ATTENDANCE_COLUMNS[2].header, width: 20 },
      ],
      rows: [],
    },
  ])
}
