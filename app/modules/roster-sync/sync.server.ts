/**
 * Roster sync runs: upload → map → preview → apply (docs/decisions/022-roster-sync.md).
 *
 * 1. `stageUpload` reads the .xlsx or .csv, keeps its rows encrypted with the run (they hold ID
 *    and phone numbers), its name and SHA-256 checksum, and the region the run may change.
 * 2. `previewRun` saves the chosen column mapping for the source, checks every row and computes the
 *    diff against the database; the report (masked numbers only) and a fingerprint of the diff
 *    with every version it read are kept with the run.
 * 3. `applyRun` recomputes the diff inside ONE transaction and applies it only when the file has no
 *    broken row and the fingerprint is unchanged since the preview; otherwise nothing is written.
 *    Missing records are deactivated only when asked. Applying what is already there changes
 *    nothing, so the same file applied twice leaves the second run with nothing to do.
 */
import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import { audit } from '#app/lib/audit.server.ts'
import { decrypt, encrypt, lookupHash, sealPersonalNumber } from '#app/lib/crypto.server.ts'
import type { DB, Executor } from '#app/lib/db.server.ts'
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import { newId } from '#app/lib/ids.ts'
import { scopeCondition } from '#app/lib/list-scope.server.ts'
import {
  birthDateFromIdNumber,
  genderFromIdNumber,
  idNumberProblem,
  maskIdNumber,
  maskPhone,
  normalisePhone,
} from '#app/lib/personal-numbers.ts'
import { nowIso } from '#app/lib/time.ts'
import { type SheetData, SpreadsheetError, detectSpreadsheetKind, readSpreadsheet } from '#app/lib/xlsx/read.server.ts'
import { type AuthUser, actorOf } from '#app/modules/auth/authz.server.ts'
import { allows, type ListScope } from '#app/modules/auth/policy.ts'
import { changes as auditChanges } from '#app/modules/audit/changes.ts'
import type { RosterRunKind, RosterRunStatus } from '#db/schema.ts'
import {
  type MediatorDiff,
  type MediatorRow,
  type OrgDiff,
  type OrgState,
  type PersonState,
  diffFingerprintSource,
  diffMediators,
  diffOrgs,
} from './diff.ts'
import { specsFor } from './fields.ts'
import { type ColumnMapping, type SavedMapping, fromSaved, initialMapping, mappingErrors, parseSaved, toSaved } from './mapping.ts'
import { type SyncReport, mediatorReport, orgReport, parseReport } from './report.ts'
import { checkMediatorRows, checkOrgRows, normaliseCode } from './rows.ts'
import { cardOwners, linkedOrgs, mediatorsInScope, peopleByHash, regionMap, sectorMap, sectorNames, unlinkedOrgs } from './state.server.ts'

/** Largest accepted upload and row count. */
export const SYNC_LIMITS = { maxBytes: 5_000_000, maxRows: 5_000 } as const

export interface SourceOption {
  id: string
  name: string
}

export async function listSources(db: Executor): Promise<SourceOption[]> {
  return db.selectFrom('roster_sources').select(['id', 'name']).orderBy('name').execute()
}

/** The source with this name, created when it does not exist (a double submit finds the first one). */
export async function ensureSource(db: DB, user: AuthUser, name: string): Promise<string> {
  const existing = await db.selectFrom('roster_sources').select('id').where('name', '=', name).executeTakeFirst()
  if (existing) return existing.id
  const id = newId()
  const now = nowIso()
  try {
    await db
      .insertInto('roster_sources')
      .values({
        id,
        name,
        org_mapping: '{}',
        mediator_mapping: '{}',
        version: 1,
        created_by: user.userId,
        created_at: now,
        updated_at: now,
      })
      .execute()
    return id
  } catch (error) {
    if (!isUniqueViolation(error, ['roster_sources.name', 'name'])) throw error
    const row = await db.selectFrom('roster_sources').select('id').where('name', '=', name).executeTakeFirstOrThrow()
    return row.id
  }
}

export type UploadOutcome = { ok: true; runId: string } | { ok: false; error: 'type' | 'unreadable' | 'empty' | 'tooManyRows' | 'noRows' }

interface StoredSheet {
  headers: string[]
  rows: SheetData['rows']
}

function checksumOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Reads and keeps an uploaded file as a new run of `kind` for `sourceId` within `regionCode` (checked by the caller). */
export async function stageUpload(
  db: DB,
  user: AuthUser,
  input: { sourceId: string; kind: RosterRunKind; regionCode: string; file: { bytes: Uint8Array; name: string } },
): Promise<UploadOutcome> {
  const type = detectSpreadsheetKind(input.file.bytes, input.file.name)
  if (!type) return { ok: false, error: 'type' }
  let sheet: SheetData
  try {
    sheet = await readSpreadsheet(input.file.bytes, type, { maxRows: SYNC_LIMITS.maxRows })
  } catch (error) {
    if (error instanceof SpreadsheetError) return { ok: false, error: error.reason }
    throw error
  }
  if (!sheet.rows.length) return { ok: false, error: 'noRows' }
  const source = await db
    .selectFrom('roster_sources')
    .select(['org_mapping', 'mediator_mapping'])
    .where('id', '=', input.sourceId)
    .executeTakeFirstOrThrow()
  const saved = parseSaved(input.kind === 'orgs' ? source.org_mapping : source.mediator_mapping)
  const suggestion = initialMapping(sheet.headers, specsFor(input.kind), saved)
  const id = newId()
  const stored: StoredSheet = { headers: sheet.headers, rows: sheet.rows }
  await db
    .insertInto('roster_runs')
    .values({
      id,
      source_id: input.sourceId,
      kind: input.kind,
      region_code: input.regionCode,
      file_name: input.file.name.slice(0, 200),
      checksum: checksumOf(input.file.bytes),
      status: 'uploaded',
      mapping: JSON.stringify(toSaved(suggestion, sheet.headers)),
      fingerprint: null,
      total_rows: sheet.rows.length,
      new_count: 0,
      changed_count: 0,
      unchanged_count: 0,
      missing_count: 0,
      error_count: 0,
      deactivate_missing: 0,
      applied_new: 0,
      applied_changed: 0,
      applied_deactivated: 0,
      report: '{}',
      payload: encrypt(JSON.stringify(stored)),
      created_by: user.userId,
      created_at: nowIso(),
      applied_by: null,
      applied_at: null,
      version: 1,
    })
    .execute()
  return { ok: true, runId: id }
}

export interface RunView {
  id: string
  sourceId: string
  sourceName: string
  kind: RosterRunKind
  regionCode: string
  regionName: string
  regionPath: string
  fileName: string
  checksum: string
  status: RosterRunStatus
  totalRows: number
  counts: { created: number; changed: number; unchanged: number; missing: number; errors: number }
  applied: { created: number; changed: number; deactivated: number; deactivateMissing: boolean; by: string | null; at: string | null }
  createdBy: string
  createdAt: string
  version: number
  report: SyncReport
  /** Field → header text of the mapping in use (the suggestion until a preview). */
  mapping: SavedMapping
}

function runQuery(db: Executor) {
  return db
    .selectFrom('roster_runs as run')
    .innerJoin('roster_sources as s', 's.id', 'run.source_id')
    .innerJoin('regions as r', 'r.code', 'run.region_code')
    .innerJoin('users as creator', 'creator.id', 'run.created_by')
    .leftJoin('users as applier', 'applier.id', 'run.applied_by')
}

/** A run, or null; the caller checks its region against the user's scope (requireRecordAccess). */
export async function loadRun(db: Executor, runId: string): Promise<RunView | null> {
  const row = await runQuery(db)
    .select([
      'run.id',
      'run.source_id',
      's.name as source_name',
      'run.kind',
      'run.region_code',
      'r.name as region_name',
      'r.path as region_path',
      'run.file_name',
      'run.checksum',
      'run.status',
      'run.total_rows',
      'run.new_count',
      'run.changed_count',
      'run.unchanged_count',
      'run.missing_count',
      'run.error_count',
      'run.deactivate_missing',
      'run.applied_new',
      'run.applied_changed',
      'run.applied_deactivated',
      'applier.display_name as applied_by',
      'run.applied_at',
      'creator.display_name as created_by',
      'run.created_at',
      'run.version',
      'run.report',
      'run.mapping',
    ])
    .where('run.id', '=', runId)
    .executeTakeFirst()
  if (!row) return null
  return {
    id: row.id,
    sourceId: row.source_id,
    sourceName: row.source_name,
    kind: row.kind,
    regionCode: row.region_code,
    regionName: row.region_name,
    regionPath: row.region_path,
    fileName: row.file_name,
    checksum: row.checksum,
    status: row.status,
    totalRows: row.total_rows,
    counts: {
      created: row.new_count,
      changed: row.changed_count,
      unchanged: row.unchanged_count,
      missing: row.missing_count,
      errors: row.error_count,
    },
    applied: {
      created: row.applied_new,
      changed: row.applied_changed,
      deactivated: row.applied_deactivated,
      deactivateMissing: row.deactivate_missing === 1,
      by: row.applied_by,
      at: row.applied_at,
    },
    createdBy: row.created_by,
    createdAt: row.created_at,
    version: row.version,
    report: parseReport(row.report, row.kind),
    mapping: parseSaved(row.mapping),
  }
}

async function readSheet(db: Executor, runId: string): Promise<StoredSheet | null> {
  const row = await db.selectFrom('roster_runs').select('payload').where('id', '=', runId).executeTakeFirst()
  if (!row?.payload) return null
  return JSON.parse(decrypt(row.payload)) as StoredSheet
}

/** The mapping form: the file's headers, a few sample values per column, and the mapping in use as column indexes. */
export async function mappingChoices(
  db: Executor,
  run: RunView,
): Promise<{ headers: string[]; samples: string[][]; mapping: ColumnMapping } | null> {
  const sheet = await readSheet(db, run.id)
  if (!sheet) return null
  const mapping = fromSaved(run.mapping, sheet.headers, specsFor(run.kind))
  // Sample cells help choose a column; personal numbers are never shown, so columns holding
  // something shaped like an ID or mobile number show a mask.
  const samples = sheet.headers.map((_, index) => sheet.rows.slice(0, 3).map((row) => maskSample(row.cells[index] ?? '')))
  return { headers: sheet.headers, samples, mapping }
}

function maskSample(text: string): string {
  const value = text.trim()
  if (/^\d{17}[\dXx]$/.test(value)) return maskIdNumber(value)
  if (/^1\d{10}$/.test(normalisePhone(value))) return maskPhone(value)
  return value.length > 40 ? `${value.slice(0, 40)}…` : value
}

interface Analysis {
  report: SyncReport
  fingerprint: string
  counts: { created: number; changed: number; unchanged: number; missing: number; errors: number }
  diff: { kind: 'orgs'; value: OrgDiff } | { kind: 'mediators'; value: MediatorDiff }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

/** Checks every row and diffs the file against the database (read through `db`, a transaction when applying). */
async function analyse(
  db: Executor,
  run: { sourceId: string; kind: RosterRunKind; regionPath: string },
  sheet: StoredSheet,
  mapping: ColumnMapping,
): Promise<Analysis> {
  const base = { headers: sheet.headers, mapping: toSaved(mapping, sheet.headers) }
  if (run.kind === 'orgs') {
    const [regions, sectors, linked, names] = await Promise.all([
      regionMap(db),
      sectorMap(db),
      linkedOrgs(db, run.sourceId),
      sectorNames(db),
    ])
    const results = checkOrgRows(sheet.rows, sheet.headers, mapping, { regions, sectors, scopePath: run.regionPath })
    const good = results.flatMap((r) => (r.ok ? [r] : []))
    const unlinked = await unlinkedOrgs(
      db,
      run.sourceId,
      good.map((g) => g.record.name),
    )
    const codeIndex = mapping.code
    const presentCodes = new Set(
      codeIndex === null || codeIndex === undefined ? [] : sheet.rows.map((r) => normaliseCode(r.cells[codeIndex] ?? '')).filter(Boolean),
    )
    const inScope = [...linked].filter(([, s]) => s.regionPath.startsWith(run.regionPath)).map(([code, state]) => ({ code, state }))
    const diff = diffOrgs(good, { linked, unlinked, inScope, presentCodes, scopePath: run.regionPath })
    const rowErrors = results.flatMap((r) => (r.ok ? [] : [{ row: r.row, label: r.label, errors: r.errors }]))
    const mentioned = new Set<string>()
    for (const g of good) mentioned.add(g.record.regionCode)
    for (const c of diff.changed)
      for (const ch of c.changes) if (ch.field === 'regionCode') for (const v of [ch.before, ch.after]) if (v) mentioned.add(v)
    const display: Record<string, string> = {}
    for (const code of mentioned) display[code] = regions.get(code)?.name ?? code
    for (const [code, name] of Object.entries(names)) display[code] = name
    const report = orgReport(diff, { ...base, names: display }, rowErrors)
    return {
      report,
      fingerprint: sha256(
        diffFingerprintSource(
          diff,
          (s: OrgState) => s.id,
          (s: OrgState) => String(s.version),
        ),
      ),
      counts: countsOf(diff, report),
      diff: { kind: 'orgs', value: diff },
    }
  }
  const linked = await linkedOrgs(db, run.sourceId)
  const orgs = new Map(
    [...linked].map(([code, s]) => [code, { orgId: s.id, regionCode: s.regionCode, regionPath: s.regionPath, status: s.status }] as const),
  )
  const results = checkMediatorRows(sheet.rows, sheet.headers, mapping, { orgs, scopePath: run.regionPath })
  const rows: MediatorRow[] = results.flatMap((r) =>
    r.ok
      ? [
          {
            row: r.row,
            label: r.label,
            record: r.record,
            idHash: lookupHash('id', r.record.idNumber),
            idMasked: maskIdNumber(r.record.idNumber),
            phoneHash: r.record.phone ? lookupHash('phone', r.record.phone) : r.record.phone,
            phoneMasked: r.record.phone ? maskPhone(r.record.phone) : r.record.phone,
          },
        ]
      : [],
  )
  const idIndex = mapping.idNumber
  const presentHashes = new Set(
    idIndex === null || idIndex === undefined
      ? []
      : sheet.rows
          .map((r) => (r.cells[idIndex] ?? '').replace(/\s/g, ''))
          .filter((v) => v && idNumberProblem(v) === null)
          .map((v) => lookupHash('id', v)),
  )
  const [people, cards, inScope] = await Promise.all([
    peopleByHash(db, run.sourceId, [...presentHashes]),
    cardOwners(
      db,
      rows.flatMap((r) => (r.record.cardNumber ? [r.record.cardNumber] : [])),
    ),
    mediatorsInScope(db, run.sourceId, run.regionPath),
  ])
  const diff = diffMediators(rows, { people, cardOwners: cards, inScope, presentHashes, scopePath: run.regionPath })
  const rowErrors = results.flatMap((r) => (r.ok ? [] : [{ row: r.row, label: r.label, errors: r.errors }]))
  const report = mediatorReport(diff, { ...base, names: {} }, rowErrors)
  const versionOf = (s: PersonState) => `${s.version}.${s.mediator?.version ?? 0}`
  return {
    report,
    fingerprint: sha256(diffFingerprintSource(diff, (s: PersonState) => s.personId, versionOf)),
    counts: countsOf(diff, report),
    diff: { kind: 'mediators', value: diff },
  }
}

function countsOf(diff: { changed: unknown[]; unchanged: unknown[] }, report: SyncReport) {
  return {
    created: report.created.length,
    changed: diff.changed.length,
    unchanged: diff.unchanged.length,
    missing: report.missing.length,
    errors: report.errors.length,
  }
}

async function runHead(db: Executor, runId: string) {
  return db
    .selectFrom('roster_runs as run')
    .innerJoin('regions as r', 'r.code', 'run.region_code')
    .select(['run.source_id', 'run.kind', 'run.status', 'run.version', 'run.mapping', 'run.fingerprint', 'r.path'])
    .where('run.id', '=', runId)
    .executeTakeFirst()
}

export type PreviewOutcome = { ok: true } | { ok: false; error: 'state' } | { ok: false; fieldErrors: Record<string, string[]> }

/**
 * Checks the file with `mapping` and keeps the preview with the run; the mapping is saved for the
 * source so its next file maps the same way.
 */
export async function previewRun(db: DB, run: RunView, mapping: ColumnMapping): Promise<PreviewOutcome> {
  if (run.status !== 'uploaded' && run.status !== 'previewed') return { ok: false, error: 'state' }
  const sheet = await readSheet(db, run.id)
  if (!sheet) return { ok: false, error: 'state' }
  const specs = specsFor(run.kind)
  const problems = mappingErrors(mapping, specs, sheet.headers.length)
  if (Object.keys(problems).length) {
    return { ok: false, fieldErrors: Object.fromEntries(Object.entries(problems).map(([field, message]) => [field, [message]])) }
  }
  const analysis = await analyse(db, { sourceId: run.sourceId, kind: run.kind, regionPath: run.regionPath }, sheet, mapping)
  const saved = toSaved(mapping, sheet.headers)
  const now = nowIso()
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('roster_runs')
      .set((eb) => ({
        status: 'previewed' as const,
        mapping: JSON.stringify(saved),
        fingerprint: analysis.fingerprint,
        report: JSON.stringify(analysis.report),
        new_count: analysis.counts.created,
        changed_count: analysis.counts.changed,
        unchanged_count: analysis.counts.unchanged,
        missing_count: analysis.counts.missing,
        error_count: analysis.counts.errors,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', run.id)
      .where('status', 'in', ['uploaded', 'previewed'])
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) return { ok: false as const, error: 'state' as const }
    // The source remembers the last mapping used (a preference, not a record: the last preview wins).
    await trx
      .updateTable('roster_sources')
      .set((eb) => ({
        [run.kind === 'orgs' ? 'org_mapping' : 'mediator_mapping']: JSON.stringify(saved),
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('id', '=', run.sourceId)
      .execute()
    return { ok: true as const }
  })
}

/** Recomputes the preview of a previewed run with the mapping it has (after a refused, stale apply). */
export async function refreshPreview(db: DB, run: RunView): Promise<void> {
  const sheet = await readSheet(db, run.id)
  if (!sheet) return
  await previewRun(db, run, fromSaved(run.mapping, sheet.headers, specsFor(run.kind)))
}

export type ApplyOutcome =
  | { ok: true; created: number; changed: number; deactivated: number }
  | { ok: false; error: 'state' | 'stale' }
  | { ok: false; error: 'errors'; count: number }

/** Thrown inside the apply transaction to roll it back. */
class Refused extends Error {
  constructor(readonly outcome: Exclude<ApplyOutcome, { ok: true }>) {
    super('roster sync refused')
  }
}

/**
 * Applies a previewed run in one transaction. The run's status moves first (a double submit or a
 * second tab waits on that row and then finds it applied); the diff is recomputed from the file and
 * the database as they are now and must match the preview's fingerprint; every write also checks
 * the version it read. Any refusal or failure rolls everything back.
 */
export async function applyRun(
  db: DB,
  request: Request,
  user: AuthUser,
  runId: string,
  options: { deactivateMissing: boolean; expectedVersion: number },
): Promise<ApplyOutcome> {
  try {
    return await db.transaction().execute(async (trx) => {
      const head = await runHead(trx, runId)
      if (!head || head.status !== 'previewed') throw new Refused({ ok: false, error: 'state' })
      if (!allows(user, 'roster:sync', { regionPath: head.path })) throw new Refused({ ok: false, error: 'state' })
      if (head.version !== options.expectedVersion) throw new Refused({ ok: false, error: 'stale' })
      const now = nowIso()
      const claimed = await trx
        .updateTable('roster_runs')
        .set({ status: 'applied', applied_by: user.userId, applied_at: now, version: head.version + 1 })
        .where('id', '=', runId)
        .where('status', '=', 'previewed')
        .where('version', '=', head.version)
        .executeTakeFirst()
      if (Number(claimed.numUpdatedRows) !== 1) throw new Refused({ ok: false, error: 'state' })
      const sheet = await readSheet(trx, runId)
      if (!sheet) throw new Refused({ ok: false, error: 'state' })
      const mapping = fromSaved(parseSaved(head.mapping), sheet.headers, specsFor(head.kind))
      const analysis = await analyse(trx, { sourceId: head.source_id, kind: head.kind, regionPath: head.path }, sheet, mapping)
      if (analysis.counts.errors > 0) throw new Refused({ ok: false, error: 'errors', count: analysis.counts.errors })
      if (analysis.fingerprint !== head.fingerprint) throw new Refused({ ok: false, error: 'stale' })
      const ctx = { trx, request, user, runId, sourceId: head.source_id, now }
      const counts =
        analysis.diff.kind === 'orgs'
          ? await applyOrgs(ctx, analysis.diff.value, options.deactivateMissing)
          : await applyMediators(ctx, analysis.diff.value, options.deactivateMissing)
      const source = await trx.selectFrom('roster_sources').select('name').where('id', '=', head.source_id).executeTakeFirstOrThrow()
      const run = await trx
        .selectFrom('roster_runs')
        .select(['file_name', 'checksum', 'region_code'])
        .where('id', '=', runId)
        .executeTakeFirstOrThrow()
      await trx
        .updateTable('roster_runs')
        .set({
          applied_new: counts.created,
          applied_changed: counts.changed,
          applied_deactivated: counts.deactivated,
          deactivate_missing: options.deactivateMissing ? 1 : 0,
          report: JSON.stringify(analysis.report),
          payload: '',
        })
        .where('id', '=', runId)
        .execute()
      await audit(trx, request, actorOf(user), {
        action: 'roster.apply',
        recordType: 'roster_run',
        recordId: runId,
        detail: {
          source: source.name,
          kind: head.kind,
          region: run.region_code,
          file: run.file_name,
          checksum: run.checksum,
          rows: sheet.rows.length,
          created: counts.created,
          changed: counts.changed,
          unchanged: analysis.counts.unchanged,
          missing: analysis.counts.missing,
          deactivateMissing: options.deactivateMissing,
          deactivated: counts.deactivated,
        },
      })
      return { ok: true as const, ...counts }
    })
  } catch (error) {
    if (error instanceof Refused) return error.outcome
    if (error instanceof StaleWrite) return { ok: false, error: 'stale' }
    // Someone created the same organisation code, person or work card between our reads and writes.
    if (isUniqueViolation(error, CONCURRENT_KEYS)) return { ok: false, error: 'stale' }
    throw error
  }
}

const CONCURRENT_KEYS = [
  'roster_org_links',
  'pk_roster_org_links',
  'uq_roster_org_links_org',
  'people.id_number_hash',
  'uq_people_id_number_hash',
  'mediators.card_number',
  'uq_mediators_card',
  'mediators.person_id',
  'PRIMARY',
]

/** A write found another version than the one read: roll back. */
class StaleWrite extends Error {}

interface ApplyContext {
  trx: Executor
  request: Request
  user: AuthUser
  runId: string
  sourceId: string
  now: string
}

type Counts = { created: number; changed: number; deactivated: number }

function mustUpdateOne(result: { numUpdatedRows: bigint }) {
  if (Number(result.numUpdatedRows) !== 1) throw new StaleWrite()
}

const ORG_COLUMNS = {
  name: 'name',
  kind: 'kind',
  sectorCode: 'sector_code',
  regionCode: 'region_code',
  address: 'address',
  contactPhone: 'contact_phone',
  status: 'status',
} as const

async function applyOrgs(ctx: ApplyContext, diff: OrgDiff, deactivateMissing: boolean): Promise<Counts> {
  const { trx, request, user, runId, now } = ctx
  const actor = actorOf(user)
  for (const entry of diff.created) {
    const id = newId()
    const r = entry.record
    const values = {
      name: r.name,
      kind: r.kind,
      sector_code: r.kind === 'committee_sector' ? (r.sectorCode ?? null) : null,
      region_code: r.regionCode,
      parent_id: null,
      address: r.address ?? null,
      contact_phone: r.contactPhone ?? null,
      status: 'active' as const,
    }
    await trx
      .insertInto('organisations')
      .values({ id, ...values, version: 1, created_at: now, updated_at: now })
      .execute()
    await trx.insertInto('roster_org_links').values({ source_id: ctx.sourceId, code: r.code, org_id: id, created_at: now }).execute()
    await audit(trx, request, actor, {
      action: 'org.create',
      recordType: 'organisation',
      recordId: id,
      detail: { after: values, rosterRun: runId },
    })
  }
  for (const entry of diff.changed) {
    const { state } = entry
    if (entry.link) {
      await trx
        .insertInto('roster_org_links')
        .values({ source_id: ctx.sourceId, code: entry.key, org_id: state.id, created_at: now })
        .execute()
    }
    if (entry.changes.length) {
      const set: Record<string, string | null> = {}
      for (const change of entry.changes) set[ORG_COLUMNS[change.field as keyof typeof ORG_COLUMNS]] = change.after
      mustUpdateOne(
        await trx
          .updateTable('organisations')
          .set((eb) => ({ ...set, version: eb('version', '+', 1), updated_at: now }))
          .where('id', '=', state.id)
          .where('version', '=', state.version)
          .executeTakeFirst(),
      )
      const regionChange = entry.changes.find((c) => c.field === 'regionCode')
      if (regionChange?.after) {
        // The organisation's people move with it, as on the organisation form.
        await trx.updateTable('people').set({ region_code: regionChange.after, updated_at: now }).where('org_id', '=', state.id).execute()
      }
    }
    await audit(trx, request, actor, {
      action: 'org.update',
      recordType: 'organisation',
      recordId: state.id,
      detail: { ...changesDetail(entry.changes), ...(entry.link ? { linkedCode: entry.key } : {}), rosterRun: runId },
    })
  }
  let deactivated = 0
  if (deactivateMissing) {
    for (const entry of diff.missing) {
      mustUpdateOne(
        await trx
          .updateTable('organisations')
          .set((eb) => ({ status: 'dissolved' as const, version: eb('version', '+', 1), updated_at: now }))
          .where('id', '=', entry.state.id)
          .where('version', '=', entry.state.version)
          .executeTakeFirst(),
      )
      await audit(trx, request, actor, {
        action: 'org.update',
        recordType: 'organisation',
        recordId: entry.state.id,
        detail: { before: { status: 'active' }, after: { status: 'dissolved' }, rosterRun: runId },
      })
      deactivated++
    }
  }
  return { created: diff.created.length, changed: diff.changed.length, deactivated }
}

function changesDetail(changes: readonly { field: string; before: string | null; after: string | null }[]) {
  const before = Object.fromEntries(changes.map((c) => [c.field, c.before]))
  const after = Object.fromEntries(changes.map((c) => [c.field, c.after]))
  return auditChanges(before, after)
}

/** Phone columns to write: sealed when the file has a number, cleared when its cell is blank, untouched when not mapped. */
function phoneColumns(row: MediatorRow) {
  if (row.record.phone === undefined) return {}
  if (row.record.phone === null) return { phone_enc: null, phone_hash: null, phone_masked: null }
  const sealed = sealPersonalNumber('phone', row.record.phone)
  return { phone_enc: sealed.enc, phone_hash: sealed.hash, phone_masked: sealed.masked }
}

function mediatorColumns(row: MediatorRow) {
  const r = row.record
  return {
    org_id: r.orgId,
    employment: r.employment,
    ...(r.cardNumber !== undefined ? { card_number: r.cardNumber } : {}),
    ...(r.startedOn !== undefined ? { started_on: r.startedOn } : {}),
    status: 'active' as const,
  }
}

async function applyMediators(ctx: ApplyContext, diff: MediatorDiff, deactivateMissing: boolean): Promise<Counts> {
  const { trx, request, user, runId, now } = ctx
  const actor = actorOf(user)
  for (const entry of diff.created) {
    const row = entry.record
    const r = row.record
    let personId = entry.state?.personId
    if (!personId) {
      personId = newId()
      const id = sealPersonalNumber('id', r.idNumber)
      await trx
        .insertInto('people')
        .values({
          id: personId,
          name: r.name,
          gender: genderFromIdNumber(r.idNumber),
          birth_date: birthDateFromIdNumber(r.idNumber),
          id_number_enc: id.enc,
          id_number_hash: id.hash,
          id_number_masked: id.masked,
          phone_enc: null,
          phone_hash: null,
          phone_masked: null,
          ...phoneColumns(row),
          region_code: r.regionCode,
          org_id: r.orgId,
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute()
    } else {
      mustUpdateOne(
        await trx
          .updateTable('people')
          .set((eb) => ({
            name: r.name,
            ...phoneColumns(row),
            org_id: r.orgId,
            region_code: r.regionCode,
            version: eb('version', '+', 1),
            updated_at: now,
          }))
          .where('id', '=', personId)
          .where('version', '=', entry.state!.version)
          .executeTakeFirst(),
      )
    }
    await trx
      .insertInto('mediators')
      .values({
        person_id: personId,
        card_number: null,
        started_on: null,
        ...mediatorColumns(row),
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute()
    await audit(trx, request, actor, {
      action: entry.state ? 'person.update' : 'person.create',
      recordType: 'person',
      recordId: personId,
      detail: {
        after: {
          name: r.name,
          id_number_masked: row.idMasked,
          phone_masked: row.phoneMasked ?? null,
          org_id: r.orgId,
          employment: r.employment,
          card_number: r.cardNumber ?? null,
          started_on: r.startedOn ?? null,
        },
        rosterRun: runId,
      },
    })
  }
  for (const entry of diff.changed) {
    const { state, record: row } = entry
    const r = row.record
    const mediator = state.mediator!
    mustUpdateOne(
      await trx
        .updateTable('people')
        .set((eb) => ({
          name: r.name,
          ...(entry.changes.some((c) => c.field === 'phone') ? phoneColumns(row) : {}),
          org_id: r.orgId,
          region_code: r.regionCode,
          version: eb('version', '+', 1),
          updated_at: now,
        }))
        .where('id', '=', state.personId)
        .where('version', '=', state.version)
        .executeTakeFirst(),
    )
    mustUpdateOne(
      await trx
        .updateTable('mediators')
        .set((eb) => ({ ...mediatorColumns(row), version: eb('version', '+', 1), updated_at: now }))
        .where('person_id', '=', state.personId)
        .where('version', '=', mediator.version)
        .executeTakeFirst(),
    )
    await audit(trx, request, actor, {
      action: 'person.update',
      recordType: 'person',
      recordId: state.personId,
      detail: { ...changesDetail(entry.changes), rosterRun: runId },
    })
  }
  let deactivated = 0
  if (deactivateMissing) {
    for (const entry of diff.missing) {
      const { state } = entry
      mustUpdateOne(
        await trx
          .updateTable('mediators')
          .set((eb) => ({ status: 'inactive' as const, version: eb('version', '+', 1), updated_at: now }))
          .where('person_id', '=', state.personId)
          .where('version', '=', state.mediator!.version)
          .executeTakeFirst(),
      )
      // The person's version guards the person and mediator rows together (as on the edit form).
      mustUpdateOne(
        await trx
          .updateTable('people')
          .set((eb) => ({ version: eb('version', '+', 1), updated_at: now }))
          .where('id', '=', state.personId)
          .where('version', '=', state.version)
          .executeTakeFirst(),
      )
      await audit(trx, request, actor, {
        action: 'person.update',
        recordType: 'person',
        recordId: state.personId,
        detail: { before: { status: 'active' }, after: { status: 'inactive' }, rosterRun: runId },
      })
      deactivated++
    }
  }
  return { created: diff.created.length, changed: diff.changed.length, deactivated }
}

/** Discards a run that has not been applied: its uploaded rows are deleted with it. */
export async function discardRun(db: DB, runId: string): Promise<boolean> {
  const result = await db
    .updateTable('roster_runs')
    .set((eb) => ({ status: 'discarded' as const, payload: '', version: eb('version', '+', 1) }))
    .where('id', '=', runId)
    .where('status', 'in', ['uploaded', 'previewed'])
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export interface HistoryRow {
  id: string
  sourceName: string
  kind: RosterRunKind
  regionName: string
  fileName: string
  checksum: string
  status: RosterRunStatus
  totalRows: number
  errors: number
  applied: { created: number; changed: number; deactivated: number }
  createdBy: string
  createdAt: string
  appliedBy: string | null
  appliedAt: string | null
}

/** The sync history within a scope, newest first. */
export async function listRuns(
  db: Executor,
  scope: ListScope,
  page: number,
  pageSize = 50,
): Promise<{ rows: HistoryRow[]; total: number }> {
  const base = runQuery(db).where(scopeCondition(scope, { region: 'run.region_code' }))
  const [rows, count] = await Promise.all([
    base
      .select([
        'run.id',
        's.name as source_name',
        'run.kind',
        'r.name as region_name',
        'run.file_name',
        'run.checksum',
        'run.status',
        'run.total_rows',
        'run.error_count',
        'run.applied_new',
        'run.applied_changed',
        'run.applied_deactivated',
        'creator.display_name as created_by',
        'run.created_at',
        'applier.display_name as applied_by',
        'run.applied_at',
      ])
      .orderBy('run.created_at', 'desc')
      .orderBy('run.id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ])
  return {
    total: Number(count.n),
    rows: rows.map((r) => ({
      id: r.id,
      sourceName: r.source_name,
      kind: r.kind,
      regionName: r.region_name,
      fileName: r.file_name,
      checksum: r.checksum,
      status: r.status,
      totalRows: r.total_rows,
      errors: r.error_count,
      applied: { created: r.applied_new, changed: r.applied_changed, deactivated: r.applied_deactivated },
      createdBy: r.created_by,
      createdAt: r.created_at,
      appliedBy: r.applied_by,
      appliedAt: r.applied_at,
    })),
  }
}
