/**
 * Case statistics per mediator and year: entered or imported by the org manager, confirmed by the
 * mediator. Any change of the figures clears the confirmation (only confirmed rows count as
 * evidence). Edits carry the row's version; the import writes every row or none, in one
 * transaction, after a report row by row.
 */
import { audit } from '#app/lib/audit.server.ts'
import type { DB, Executor } from '#app/lib/db.server.ts'
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import { newId } from '#app/lib/ids.ts'
import { nowIso } from '#app/lib/time.ts'
import { mapHeaders } from '#app/lib/xlsx/headers.ts'
import { type SheetData, SpreadsheetError, detectSpreadsheetKind, readSpreadsheet } from '#app/lib/xlsx/read.server.ts'
import { buildWorkbook } from '#app/lib/xlsx/write.server.ts'
import { type AuthUser, actorOf, may } from '#app/modules/auth/authz.server.ts'
import { sameName } from '#app/modules/training/attendance-import.ts'
import {
  CASE_STATS_COLUMNS,
  CASE_STATS_LIMITS,
  type CaseFigures,
  type CaseStatsField,
  figureProblems,
  parseCount,
  plausibleYear,
} from './case-stats.ts'

export interface CaseStatsRow {
  id: string
  personId: string
  name: string
  cardNumber: string | null
  orgName: string
  year: number
  disputes: number
  successful: number
  oral: number
  confirmedAt: string | null
  enteredAt: string
  version: number
}

/** Rows of the mediators of `orgIds` and/or of the person `personId`, newest year first. */
export async function listCaseStats(
  db: Executor,
  filter: { orgIds: string[]; personId: string | null; everything?: boolean },
): Promise<CaseStatsRow[]> {
  if (!filter.everything && !filter.orgIds.length && !filter.personId) return []
  const rows = await db
    .selectFrom('mediator_case_stats as s')
    .innerJoin('mediators as m', 'm.person_id', 's.person_id')
    .innerJoin('people as p', 'p.id', 's.person_id')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select([
      's.id',
      's.person_id',
      'p.name',
      'm.card_number',
      'o.name as org_name',
      's.year',
      's.disputes_mediated',
      's.successful',
      's.oral_agreements',
      's.confirmed_at',
      's.entered_at',
      's.version',
    ])
    .$if(!filter.everything, (q) =>
      q.where((eb) =>
        eb.or([
          ...(filter.orgIds.length ? [eb('m.org_id', 'in', filter.orgIds)] : []),
          ...(filter.personId ? [eb('s.person_id', '=', filter.personId)] : []),
        ]),
      ),
    )
    .orderBy('s.year', 'desc')
    .orderBy('p.name')
    .limit(2000)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    personId: r.person_id,
    name: r.name,
    cardNumber: r.card_number,
    orgName: r.org_name,
    year: Number(r.year),
    disputes: Number(r.disputes_mediated),
    successful: Number(r.successful),
    oral: Number(r.oral_agreements),
    confirmedAt: r.confirmed_at,
    enteredAt: r.entered_at,
    version: Number(r.version),
  }))
}

/** Mediators whose statistics the user may enter (the organisations they manage). */
export async function statsMediators(db: Executor, user: AuthUser): Promise<{ personId: string; name: string; orgId: string }[]> {
  const everything = user.grants.some((g) => g.role === 'admin')
  const orgIds = user.grants.filter((g) => g.role === 'org_manager' && g.orgId).map((g) => g.orgId!)
  if (!everything && !orgIds.length) return []
  return db
    .selectFrom('mediators as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['m.person_id as personId', 'p.name', 'm.org_id as orgId'])
    .where('m.status', '=', 'active')
    .$if(!everything, (q) => q.where('m.org_id', 'in', orgIds))
    .orderBy('p.name')
    .limit(2000)
    .execute()
}

async function mediatorInScope(db: Executor, user: AuthUser, personId: string): Promise<boolean> {
  const m = await db.selectFrom('mediators').select(['org_id']).where('person_id', '=', personId).executeTakeFirst()
  return !!m && may(user, 'grading:case-stats', { orgId: m.org_id, personId })
}

export type SaveStatsOutcome = { ok: true } | { ok: false; field: 'personId' | 'successful' | 'oral' | 'form'; error: string }

/**
 * Enters or corrects one year's figures. `version` is the version the form loaded (null for a new
 * row). Changing the figures clears the mediator's confirmation.
 */
export async function saveCaseStats(
  db: DB,
  request: Request,
  user: AuthUser,
  input: CaseFigures & { personId: string; version: number | null },
): Promise<SaveStatsOutcome> {
  if (!(await mediatorInScope(db, user, input.personId)))
    return { ok: false, field: 'personId', error: 'grading.caseStats.unknownMediator' }
  const problem = figureProblems(input)[0]
  if (problem) return { ok: false, field: problem.field as 'successful' | 'oral', error: problem.message }
  try {
    return await db.transaction().execute(async (trx) => {
      const outcome = await writeFigures(trx, user.userId, input.personId, input, input.version)
      if (!outcome) return { ok: false as const, field: 'form' as const, error: 'grading.caseStats.stale' }
      await audit(trx, request, actorOf(user), {
        action: 'grading.case_stats.save',
        recordType: 'mediator_case_stats',
        recordId: outcome.id,
        detail: { person: input.personId, year: input.year, disputes: input.disputes, successful: input.successful, oral: input.oral },
      })
      return { ok: true as const }
    })
  } catch (error) {
    if (isUniqueViolation(error, ['uq_mediator_case_stats_person_year', 'mediator_case_stats.'])) {
      return { ok: false, field: 'form', error: 'grading.caseStats.stale' }
    }
    throw error
  }
}

/**
 * Writes the figures: insert when no row exists (expectedVersion null), otherwise update the row
 * at `expectedVersion` (or any version when `expectedVersion` is 'any', for imports). Unchanged
 * figures keep the confirmation. Returns null when the expected version no longer matches.
 */
async function writeFigures(
  trx: Executor,
  userId: string,
  personId: string,
  f: CaseFigures,
  expectedVersion: number | null | 'any',
): Promise<{ id: string; changed: boolean } | null> {
  const existing = await trx
    .selectFrom('mediator_case_stats')
    .select(['id', 'version', 'disputes_mediated', 'successful', 'oral_agreements'])
    .where('person_id', '=', personId)
    .where('year', '=', f.year)
    .executeTakeFirst()
  const now = nowIso()
  if (!existing) {
    if (expectedVersion !== null && expectedVersion !== 'any') return null
    const id = newId()
    await trx
      .insertInto('mediator_case_stats')
      .values({
        id,
        person_id: personId,
        year: f.year,
        disputes_mediated: f.disputes,
        successful: f.successful,
        oral_agreements: f.oral,
        entered_by: userId,
        entered_at: now,
        confirmed_at: null,
        version: 1,
      })
      .execute()
    return { id, changed: true }
  }
  if (expectedVersion !== 'any' && Number(existing.version) !== expectedVersion) return null
  const changed =
    Number(existing.disputes_mediated) !== f.disputes ||
    Number(existing.successful) !== f.successful ||
    Number(existing.oral_agreements) !== f.oral
  if (!changed) return { id: existing.id, changed: false }
  const updated = await trx
    .updateTable('mediator_case_stats')
    .set((eb) => ({
      disputes_mediated: f.disputes,
      successful: f.successful,
      oral_agreements: f.oral,
      entered_by: userId,
      entered_at: now,
      confirmed_at: null,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', existing.id)
    .where('version', '=', Number(existing.version))
    .executeTakeFirst()
  return Number(updated.numUpdatedRows) === 1 ? { id: existing.id, changed: true } : null
}

/** The mediator confirms their own figures for a year, as they saw them (version). */
export async function confirmCaseStats(
  db: DB,
  request: Request,
  user: AuthUser,
  input: { statsId: string; version: number },
): Promise<{ ok: true; year: number } | { ok: false; error: string }> {
  if (!user.personId) return { ok: false, error: 'grading.caseStats.stale' }
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('mediator_case_stats')
      .select(['id', 'person_id', 'year'])
      .where('id', '=', input.statsId)
      .executeTakeFirst()
    if (!row || row.person_id !== user.personId) return { ok: false as const, error: 'grading.caseStats.stale' }
    const updated = await trx
      .updateTable('mediator_case_stats')
      .set((eb) => ({ confirmed_at: nowIso(), version: eb('version', '+', 1) }))
      .where('id', '=', row.id)
      .where('version', '=', input.version)
      .where('confirmed_at', 'is', null)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) return { ok: false as const, error: 'grading.caseStats.stale' }
    await audit(trx, request, actorOf(user), {
      action: 'grading.case_stats.confirm',
      recordType: 'mediator_case_stats',
      recordId: row.id,
      detail: { year: Number(row.year) },
    })
    return { ok: true as const, year: Number(row.year) }
  })
}

// Import ------------------------------------------------------------------------------------------

export interface ImportProblem {
  field: CaseStatsField
  message: string
  params?: Record<string, string | number>
}

export type CaseStatsImportOutcome =
  | { ok: false; error: 'type' | 'unreadable' | 'empty' | 'tooManyRows' | 'noRows' }
  | { ok: false; error: 'missingColumns'; columns: string[] }
  | { ok: true; imported: number; rows: number; bad: { rowNumber: number; problems: ImportProblem[] }[] }

export function caseStatsTemplate(): Promise<Buffer> {
  return buildWorkbook([
    {
      name: '办案统计',
      columns: CASE_STATS_COLUMNS.map((c) => ({
        header: c.header,
        text: c.field === 'cardNumber',
        width: c.field === 'cardNumber' ? 20 : 14,
      })),
      rows: [],
    },
  ])
}

/** Checks every row (all problems at once) and writes them only when all are clean, in one transaction. */
export async function importCaseStats(
  db: DB,
  request: Request,
  user: AuthUser,
  file: { bytes: Uint8Array; name: string },
  today: string,
): Promise<CaseStatsImportOutcome> {
  const kind = detectSpreadsheetKind(file.bytes, file.name)
  if (kind !== 'xlsx') return { ok: false, error: 'type' }
  let sheet: SheetData
  try {
    sheet = await readSpreadsheet(file.bytes, kind, { maxRows: CASE_STATS_LIMITS.maxRows })
  } catch (error) {
    if (error instanceof SpreadsheetError) return { ok: false, error: error.reason }
    throw error
  }
  const mapping = mapHeaders(sheet.headers, CASE_STATS_COLUMNS)
  if (mapping.missing.length) return { ok: false, error: 'missingColumns', columns: mapping.missing }
  const cell = (cells: string[], field: CaseStatsField) => {
    const index = mapping.columns[field]
    return index === undefined ? '' : (cells[index] ?? '').trim()
  }
  const input = sheet.rows.map((r) => ({
    rowNumber: r.rowNumber,
    cardNumber: cell(r.cells, 'cardNumber'),
    name: cell(r.cells, 'name'),
    year: cell(r.cells, 'year'),
    disputes: cell(r.cells, 'disputes'),
    successful: cell(r.cells, 'successful'),
    oral: cell(r.cells, 'oral'),
  }))
  if (!input.length) return { ok: false, error: 'noRows' }

  return db.transaction().execute(async (trx) => {
    const cards = [...new Set(input.map((r) => r.cardNumber).filter((c) => c && c.length <= CASE_STATS_LIMITS.cardNumber))]
    const holders = new Map<string, { personId: string; name: string; inScope: boolean }>()
    for (let i = 0; i < cards.length; i += 500) {
      const rows = await trx
        .selectFrom('mediators as m')
        .innerJoin('people as p', 'p.id', 'm.person_id')
        .select(['m.card_number', 'm.person_id', 'm.org_id', 'p.name'])
        .where('m.card_number', 'in', cards.slice(i, i + 500))
        .execute()
      for (const r of rows) {
        if (r.card_number) {
          holders.set(r.card_number, {
            personId: r.person_id,
            name: r.name,
            inScope: may(user, 'grading:case-stats', { orgId: r.org_id, personId: r.person_id }),
          })
        }
      }
    }
    const firstRow = new Map<string, number>()
    const checked = input.map((row) => {
      const problems: ImportProblem[] = []
      let personId: string | null = null
      const holder = row.cardNumber ? holders.get(row.cardNumber) : undefined
      if (!row.cardNumber) problems.push({ field: 'cardNumber', message: 'validation.required' })
      // Unknown and out-of-scope cards get the same message: nothing leaks about who exists elsewhere.
      else if (!holder || !holder.inScope) problems.push({ field: 'cardNumber', message: 'grading.caseStats.unknownCard' })
      else {
        personId = holder.personId
        if (row.name && !sameName(row.name, holder.name)) problems.push({ field: 'name', message: 'grading.caseStats.nameMismatch' })
      }
      if (!row.name) problems.push({ field: 'name', message: 'validation.required' })
      const year = parseCount(row.year, 9999)
      if (year === null || !plausibleYear(year, today)) problems.push({ field: 'year', message: 'grading.caseStats.badYear' })
      const disputes = parseCount(row.disputes)
      const successful = parseCount(row.successful)
      const oral = parseCount(row.oral)
      for (const [field, value] of [
        ['disputes', disputes],
        ['successful', successful],
        ['oral', oral],
      ] as const) {
        if (value === null) problems.push({ field, message: 'grading.caseStats.badCount' })
      }
      if (disputes !== null && successful !== null && oral !== null) {
        for (const p of figureProblems({ year: year ?? 0, disputes, successful, oral }))
          problems.push({ field: p.field, message: p.message })
      }
      if (personId && year !== null) {
        const key = `${personId}:${year}`
        const first = firstRow.get(key)
        if (first !== undefined) problems.push({ field: 'cardNumber', message: 'grading.caseStats.duplicate', params: { row: first } })
        else firstRow.set(key, row.rowNumber)
      }
      return {
        rowNumber: row.rowNumber,
        personId,
        figures: { year: year ?? 0, disputes: disputes ?? 0, successful: successful ?? 0, oral: oral ?? 0 },
        problems,
      }
    })
    const bad = checked.filter((r) => r.problems.length)
    let imported = 0
    if (!bad.length) {
      for (const row of checked) {
        const written = await writeFigures(trx, user.userId, row.personId!, row.figures, 'any')
        if (written?.changed) imported++
      }
    }
    await audit(trx, request, actorOf(user), {
      action: 'grading.case_stats.import',
      recordType: 'mediator_case_stats',
      result: bad.length ? 'failed' : 'ok',
      detail: { rows: checked.length, imported, badRows: bad.length },
    })
    return { ok: true as const, imported, rows: checked.length, bad: bad.map((r) => ({ rowNumber: r.rowNumber, problems: r.problems })) }
  })
}
