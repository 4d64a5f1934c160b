/**
 * Staging and importing an expert spreadsheet.
 *
 * 1. `stageImport`: read the upload, check every row (check.ts), look the ID numbers up by hash
 *    (already an expert: reported as "already registered" and skipped; registered as somebody else
 *    under another name: an error, as on the admission form), and keep the result as one
 *    `expert_import_batches` row: the report (no personal numbers) and the good rows, encrypted.
 * 2. The creator reads the report and imports everything (only when the file is clean) or only the
 *    good rows (`startImport`), or discards the batch.
 * 3. `runImport` imports the staged rows in chunks, each chunk one transaction that also advances
 *    the batch, for up to a time budget per request; the page shows the server's count and continues
 *    (a button without JavaScript, a fetcher with it). The last chunk writes one `expert.import`
 *    audit event with the counts and clears the staged rows.
 *
 * Re-importing the same file changes nothing: a row whose ID number already belongs to an expert is
 * skipped, never updated, whether or not its other cells differ (profiles are edited on the profile
 * page, where the version check and the audit trail apply). A row whose expert appeared between the
 * check and the import (another import, an admission) is skipped the same way.
 */
import type { Transaction } from 'kysely'
import { audit } from '#app/lib/audit.server.ts'
import { decrypt, encrypt, lookupHash, sealPersonalNumber } from '#app/lib/crypto.server.ts'
import type { DB, Executor } from '#app/lib/db.server.ts'
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import { newId } from '#app/lib/ids.ts'
import { nowIso } from '#app/lib/time.ts'
import { type SheetData, SpreadsheetError, detectSpreadsheetKind, readSpreadsheet } from '#app/lib/xlsx/read.server.ts'
import { type AuthUser, actorOf } from '#app/modules/auth/authz.server.ts'
import { bumpExpertPoolVersion } from '#app/modules/cases/pool-version.server.ts'
import type { Database, ExpertDomainTable, ExpertImportBatchTable } from '#db/schema.ts'
import { appointingRegions, regionChoices } from '../queries.server.ts'
import { disputeTypeOptions } from '../queries.server.ts'
import type { ExpertRecord, ExpertRefs } from '../schemas.ts'
import { mayEditExpert } from '../scope.ts'
import type { ExpertSettings } from '../settings.server.ts'
import { type CellError, checkSheet } from './check.ts'
import { HEADER_OF } from './columns.ts'

/** Largest accepted upload and row count (a 5,000-row .xlsx is about 400 KB). */
export const IMPORT_LIMITS = { maxBytes: 5_000_000, maxRows: 5_000 } as const
/** Rows per transaction, and how long one request keeps importing before showing progress. */
export const IMPORT_CHUNK = 250
export const IMPORT_TIME_BUDGET_MS = 3_000

export interface ImportReport {
  unknownColumns: string[]
  bad: { row: number; name: string; errors: CellError[] }[]
  existing: { row: number; name: string; expertId: string }[]
  warnings: { row: number; name: string; message: string }[]
}

interface StagedRow {
  row: number
  record: ExpertRecord
  /** A registered person (not yet an expert) with the same ID number and name becomes the expert. */
  personId: string | null
}

export type StageOutcome =
  | { ok: true; batchId: string }
  | { ok: false; error: 'type' | 'unreadable' | 'empty' | 'tooManyRows' | 'noRows' }
  | { ok: false; error: 'missingColumns'; columns: string[] }

/** Validation refs for importing: every appointing region and active dispute type (scope is checked per row). */
export async function importRefs(db: Executor): Promise<ExpertRefs> {
  const [regions, disputeTypes] = await Promise.all([regionChoices(db, null), disputeTypeOptions(db)])
  return { disputeTypes: disputeTypes.map((d) => d.code), regions: new Map(appointingRegions(regions).map((r) => [r.code, r])) }
}

async function chunked<T, R>(items: readonly T[], size: number, work: (part: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = []
  for (let i = 0; i < items.length; i += size) out.push(...(await work(items.slice(i, i + size))))
  return out
}

/** People registered under these ID hashes, with their expert profile if any. */
async function peopleByHash(db: Executor, hashes: readonly string[]) {
  const rows = await chunked(hashes, 500, (part) =>
    db
      .selectFrom('people as p')
      .leftJoin('experts as e', 'e.person_id', 'p.id')
      .select(['p.id', 'p.name', 'p.id_number_hash', 'e.person_id as expert_id'])
      .where('p.id_number_hash', 'in', part)
      .execute(),
  )
  return new Map(rows.map((r) => [r.id_number_hash as string, r]))
}

/** Checks a parsed sheet against the rules and the database; pure apart from the look-ups. */
export async function analyseSheet(
  db: Executor,
  user: AuthUser,
  sheet: SheetData,
  settings: ExpertSettings,
): Promise<{ report: ImportReport; staged: StagedRow[]; total: number } | { missingColumns: string[] }> {
  const refs = await importRefs(db)
  const check = checkSheet(sheet, {
    refs,
    principal: user,
    defaults: { maxConcurrentCases: settings.defaultMaxConcurrentCases },
    ageLimit: settings.ageLimit,
  })
  if (check.mapping.missing.length) return { missingColumns: check.mapping.missing }
  const report: ImportReport = { unknownColumns: check.mapping.unknown, bad: [], existing: [], warnings: [] }
  const good = check.rows.flatMap((r) => (r.ok ? [{ ...r, hash: lookupHash('id', r.record.idNumber) }] : []))
  const people = await peopleByHash(
    db,
    good.map((g) => g.hash),
  )
  const staged: StagedRow[] = []
  for (const row of check.rows) {
    if (!row.ok) {
      report.bad.push({ row: row.row, name: row.name, errors: row.errors })
      continue
    }
    const hash = lookupHash('id', row.record.idNumber)
    const person = people.get(hash)
    if (person?.expert_id) {
      report.existing.push({ row: row.row, name: row.name, expertId: person.expert_id })
      continue
    }
    if (person && person.name !== row.record.name) {
      report.bad.push({
        row: row.row,
        name: row.name,
        errors: [{ column: HEADER_OF.idNumber, message: 'experts.validation.idBelongsToOther' }],
      })
      continue
    }
    for (const message of row.warnings) report.warnings.push({ row: row.row, name: row.name, message })
    staged.push({ row: row.row, record: row.record, personId: person?.id ?? null })
  }
  report.bad.sort((a, b) => a.row - b.row)
  return { report, staged, total: check.rows.length }
}

/** Reads, checks and stages an uploaded file for `user`. */
export async function stageImport(
  db: DB,
  user: AuthUser,
  file: { bytes: Uint8Array; name: string },
  settings: ExpertSettings,
): Promise<StageOutcome> {
  const kind = detectSpreadsheetKind(file.bytes, file.name)
  if (!kind) return { ok: false, error: 'type' }
  let sheet: SheetData
  try {
    sheet = await readSpreadsheet(file.bytes, kind, { maxRows: IMPORT_LIMITS.maxRows })
  } catch (error) {
    if (error instanceof SpreadsheetError) return { ok: false, error: error.reason }
    throw error
  }
  if (!sheet.rows.length) {
    const missing = (await analyseSheet(db, user, sheet, settings)) as { missingColumns?: string[] }
    if (missing.missingColumns?.length) return { ok: false, error: 'missingColumns', columns: missing.missingColumns }
    return { ok: false, error: 'noRows' }
  }
  const analysis = await analyseSheet(db, user, sheet, settings)
  if ('missingColumns' in analysis) return { ok: false, error: 'missingColumns', columns: analysis.missingColumns }
  const id = newId()
  const now = nowIso()
  await db
    .insertInto('expert_import_batches')
    .values({
      id,
      created_by: user.userId,
      file_name: file.name.slice(0, 200),
      status: 'checked',
      mode: null,
      total_rows: analysis.total,
      good_rows: analysis.staged.length,
      bad_rows: analysis.report.bad.length,
      existing_rows: analysis.report.existing.length,
      next_index: 0,
      imported_rows: 0,
      skipped_rows: 0,
      report: JSON.stringify(analysis.report),
      payload: analysis.staged.length ? encrypt(JSON.stringify(analysis.staged)) : '',
      created_at: now,
      updated_at: now,
    })
    .execute()
  return { ok: true, batchId: id }
}

export type BatchView = Omit<ExpertImportBatchTable, 'payload' | 'report' | 'created_by'> & { report: ImportReport }

/** The creator's own batch, or null (anyone else's answers as if it did not exist). */
export async function loadBatch(db: Executor, user: AuthUser, batchId: string): Promise<BatchView | null> {
  const row = await db
    .selectFrom('expert_import_batches')
    .select([
      'id',
      'file_name',
      'status',
      'mode',
      'total_rows',
      'good_rows',
      'bad_rows',
      'existing_rows',
      'next_index',
      'imported_rows',
      'skipped_rows',
      'report',
      'created_at',
      'updated_at',
    ])
    .where('id', '=', batchId)
    .where('created_by', '=', user.userId)
    .executeTakeFirst()
  if (!row) return null
  return { ...row, report: JSON.parse(row.report) as ImportReport }
}

function domainRows(personId: string, record: ExpertRecord): ExpertDomainTable[] {
  return [
    ...record.primaryDomains.map((code) => ({ expert_id: personId, dispute_type_code: code, role: 'primary' as const })),
    ...record.secondaryDomains.map((code) => ({ expert_id: personId, dispute_type_code: code, role: 'secondary' as const })),
    ...record.specialties.map((code) => ({ expert_id: personId, dispute_type_code: code, role: 'specialty' as const })),
  ]
}

/** Multi-row inserts, a few dozen rows per statement (SQLite's and MariaDB's placeholder limits). */
async function insertMany<T extends keyof Database>(trx: Transaction<Database>, table: T, rows: readonly object[], per = 40) {
  for (let i = 0; i < rows.length; i += per) {
    // Rows are built for `table` by the caller.
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + per) as never)
      .execute()
  }
}

/** Inserts one chunk of staged rows as new experts; returns how many were new and how many skipped. */
async function importChunk(
  trx: Transaction<Database>,
  user: AuthUser,
  rows: readonly StagedRow[],
): Promise<{ imported: number; skipped: number }> {
  const sealed = rows.map((r) => ({
    row: r,
    id: sealPersonalNumber('id', r.record.idNumber),
    phone: sealPersonalNumber('phone', r.record.phone),
  }))
  const existing = await peopleByHash(
    trx,
    sealed.map((s) => s.id.hash),
  )
  const now = nowIso()
  const people: object[] = []
  const experts: object[] = []
  const domains: ExpertDomainTable[] = []
  const terms: object[] = []
  const changes: object[] = []
  let skipped = 0
  const seen = new Set<string>()
  for (const { row, id, phone } of sealed) {
    const person = existing.get(id.hash)
    // Already an expert, or registered meanwhile as somebody else: skip, never update.
    if (person?.expert_id || (person && person.name !== row.record.name) || seen.has(id.hash)) {
      skipped++
      continue
    }
    // Scope again at import time: the grants may have changed since the check.
    const record = row.record
    const appointingRegion = record.tier === 'national' ? null : record.regionCode!
    if (!mayEditExpert(user, { personId: '', regionCode: appointingRegion, regionPath: null })) {
      skipped++
      continue
    }
    seen.add(id.hash)
    const personId = person?.id ?? newId()
    if (!person) {
      people.push({
        id: personId,
        name: record.name,
        gender: record.gender,
        birth_date: record.birthDate,
        id_number_enc: id.enc,
        id_number_hash: id.hash,
        id_number_masked: id.masked,
        phone_enc: phone.enc,
        phone_hash: phone.hash,
        phone_masked: phone.masked,
        region_code: record.regionCode!,
        org_id: null,
        version: 1,
        created_at: now,
        updated_at: now,
      })
    }
    experts.push({
      person_id: personId,
      name: record.name,
      tier: record.tier,
      region_code: appointingRegion,
      appointing_org_id: null,
      employer: record.employer,
      employer_org_id: null,
      title: record.title ?? null,
      professions: JSON.stringify(record.professions),
      languages: JSON.stringify(record.languages),
      bio: record.bio ?? null,
      photo_file: null,
      photo_type: null,
      term_start: record.termStart,
      term_end: record.termEnd,
      status: 'active',
      max_concurrent_cases: record.maxConcurrentCases,
      contact_preference: record.contactPreference,
      contact_note: null,
      version: 1,
      created_at: now,
      updated_at: now,
      created_by: user.userId,
    })
    domains.push(...domainRows(personId, record))
    terms.push({
      id: newId(),
      expert_id: personId,
      kind: 'appointed',
      start_date: record.termStart,
      end_date: record.termEnd,
      note: null,
      created_by: user.userId,
      created_at: now,
    })
    changes.push({
      id: newId(),
      expert_id: personId,
      from_status: null,
      to_status: 'active',
      reason: '',
      changed_by: user.userId,
      changed_at: now,
    })
  }
  await insertMany(trx, 'people', people, 25)
  await insertMany(trx, 'experts', experts, 25)
  if (experts.length) await bumpExpertPoolVersion(trx, user.userId)
  await insertMany(trx, 'expert_domains', domains, 100)
  await insertMany(trx, 'expert_terms', terms, 50)
  await insertMany(trx, 'expert_status_changes', changes, 50)
  return { imported: experts.length, skipped }
}

const DUPLICATE_HINTS = ['id_number_hash', 'uq_people_id_number_hash', 'experts.person_id', 'PRIMARY']

/** Starts importing a checked batch: everything (only when clean) or only the good rows. */
export async function startImport(
  db: DB,
  user: AuthUser,
  batchId: string,
  mode: 'all' | 'good',
): Promise<'started' | 'notClean' | 'state' | 'missing'> {
  const batch = await loadBatch(db, user, batchId)
  if (!batch) return 'missing'
  if (batch.status !== 'checked') return batch.status === 'importing' ? 'started' : 'state'
  if (mode === 'all' && batch.bad_rows > 0) return 'notClean'
  // The status moves once: a double submit or a refresh finds it started already.
  await db
    .updateTable('expert_import_batches')
    .set({ status: 'importing', mode, updated_at: nowIso() })
    .where('id', '=', batchId)
    .where('status', '=', 'checked')
    .execute()
  return 'started'
}

/**
 * Imports chunks of a started batch until it is done or the time budget is spent. Each chunk is one
 * transaction that also advances `next_index` from the value it read, so two requests racing on one
 * batch never import a chunk twice (the loser's update matches no row and rolls back).
 */
export async function runImport(
  db: DB,
  request: Request,
  user: AuthUser,
  batchId: string,
  budgetMs = IMPORT_TIME_BUDGET_MS,
): Promise<{ status: ExpertImportBatchTable['status'] } | null> {
  const started = Date.now()
  const head = await db
    .selectFrom('expert_import_batches')
    .select(['status', 'payload'])
    .where('id', '=', batchId)
    .where('created_by', '=', user.userId)
    .executeTakeFirst()
  if (!head) return null
  if (head.status !== 'importing') return { status: head.status }
  const staged: StagedRow[] = head.payload ? (JSON.parse(decrypt(head.payload)) as StagedRow[]) : []
  for (;;) {
    const batch = await db
      .selectFrom('expert_import_batches')
      .select(['status', 'next_index', 'imported_rows', 'skipped_rows', 'file_name', 'mode', 'total_rows', 'bad_rows', 'existing_rows'])
      .where('id', '=', batchId)
      .executeTakeFirstOrThrow()
    if (batch.status !== 'importing') return { status: batch.status }
    const from = batch.next_index
    const part = staged.slice(from, from + IMPORT_CHUNK)
    const last = from + part.length >= staged.length
    let attempt = 0
    for (;;) {
      try {
        const advanced = await db.transaction().execute(async (trx) => {
          const counts = await importChunk(trx, user, part)
          const imported = batch.imported_rows + counts.imported
          const skipped = batch.skipped_rows + counts.skipped
          const now = nowIso()
          const updated = await trx
            .updateTable('expert_import_batches')
            .set({
              next_index: from + part.length,
              imported_rows: imported,
              skipped_rows: skipped,
              updated_at: now,
              ...(last ? { status: 'done' as const, payload: '' } : {}),
            })
            .where('id', '=', batchId)
            .where('status', '=', 'importing')
            .where('next_index', '=', from)
            .executeTakeFirst()
          if (Number(updated.numUpdatedRows) === 0) throw new LostRace()
          if (last) {
            await audit(trx, request, actorOf(user), {
              action: 'expert.import',
              recordType: 'expert_import_batch',
              recordId: batchId,
              detail: {
                file: batch.file_name,
                mode: batch.mode,
                rows: batch.total_rows,
                imported,
                skippedExisting: batch.existing_rows + skipped,
                invalid: batch.bad_rows,
              },
            })
          }
          return true
        })
        if (advanced) break
      } catch (error) {
        if (error instanceof LostRace) break
        // Someone admitted one of these people between our look-up and the insert: look again.
        if (isUniqueViolation(error, DUPLICATE_HINTS) && attempt++ < 2) continue
        throw error
      }
    }
    if (last) {
      const after = await db.selectFrom('expert_import_batches').select('status').where('id', '=', batchId).executeTakeFirstOrThrow()
      if (after.status !== 'importing') return { status: after.status }
    }
    if (Date.now() - started > budgetMs) return { status: 'importing' }
  }
}

class LostRace extends Error {}

/** Discards a batch that has not been imported: the staged rows are deleted with it. */
export async function discardImport(db: DB, user: AuthUser, batchId: string): Promise<boolean> {
  const result = await db
    .updateTable('expert_import_batches')
    .set({ status: 'discarded', payload: '', updated_at: nowIso() })
    .where('id', '=', batchId)
    .where('created_by', '=', user.userId)
    .where('status', '=', 'checked')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/**
 * Stops an import in progress (the user's "stop" while chunks run): the batch ends as discarded
 * with its staged rows wiped, so no later request imports another chunk; the chunks already
 * committed stay imported and are named in one `expert.import` audit entry marked `stopped`. A
 * chunk committing at the same moment loses its race (its update needs status 'importing') and
 * rolls back whole.
 */
export async function stopImport(db: DB, request: Request, user: AuthUser, batchId: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('expert_import_batches')
      .set({ status: 'discarded', payload: '', updated_at: nowIso() })
      .where('id', '=', batchId)
      .where('created_by', '=', user.userId)
      .where('status', '=', 'importing')
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) === 0) return false
    const batch = await trx
      .selectFrom('expert_import_batches')
      .select(['file_name', 'mode', 'total_rows', 'good_rows', 'next_index', 'imported_rows', 'skipped_rows'])
      .where('id', '=', batchId)
      .executeTakeFirstOrThrow()
    await audit(trx, request, actorOf(user), {
      action: 'expert.import',
      recordType: 'expert_import_batch',
      recordId: batchId,
      detail: {
        stopped: true,
        file: batch.file_name,
        mode: batch.mode,
        rows: batch.total_rows,
        processed: batch.next_index,
        of: batch.good_rows,
        imported: batch.imported_rows,
        skippedExisting: batch.skipped_rows,
      },
    })
    return true
  })
}
