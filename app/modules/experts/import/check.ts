/**
 * Checking an uploaded expert spreadsheet row by row (pure): the admission rules
 * (`validateExpertRecord`), the importer's scope (only experts their own body could admit),
 * numbers Excel has mangled, and the same ID number twice in one file. What needs the database
 * (already registered, ID of someone else) is added by import.server.ts.
 */
import type { Principal } from '#app/modules/auth/policy.ts'
import { messageRef } from '#app/lib/i18n.ts'
import { normaliseIdNumber } from '#app/lib/personal-numbers.ts'
import { type HeaderMapping, mapHeaders } from '#app/lib/xlsx/headers.ts'
import type { SheetData } from '#app/lib/xlsx/read.server.ts'
import { ageLimitWarning } from '../rules.ts'
import { type ExpertRecord, type ExpertRefs, type RecordField, expertRecordSchema } from '../schemas.ts'
import { mayEditExpert } from '../scope.ts'
import { EXPERT_COLUMNS, HEADER_OF, type ImportField, rowToFormValues } from './columns.ts'

/** One problem of one row: the column (its Chinese header, '' for the whole row) and a message reference. */
export interface CellError {
  column: string
  message: string
}

export type RowCheck =
  | { row: number; name: string; ok: true; record: ExpertRecord; warnings: string[] }
  | { row: number; name: string; ok: false; errors: CellError[] }

export interface SheetCheck {
  mapping: HeaderMapping<ImportField>
  rows: RowCheck[]
}

export interface CheckContext {
  refs: ExpertRefs
  principal: Principal
  defaults: { maxConcurrentCases: number }
  ageLimit: number
}

/** One schema per set of refs: building it costs more than checking a row. */
const schemas = new WeakMap<ExpertRefs, ReturnType<typeof expertRecordSchema>>()

/**
 * `validateExpertRecord` (schemas.ts) with the schema built once per file. That function goes
 * through conform's FormData parsing, which costs about 2.5 ms a row (12 s for a 5,000-row file);
 * the row here is already what conform would produce (empty cells left out, lists as arrays,
 * numbers as text for `z.coerce`), so parsing the object with the same schema gives the same
 * values and messages (check.test.ts compares the two) in a tenth of the time.
 */
export function validateImportRecord(
  values: Partial<Record<RecordField, string | string[]>>,
  refs: ExpertRefs,
): { ok: true; value: ExpertRecord } | { ok: false; errors: Partial<Record<RecordField | '', string[]>> } {
  let schema = schemas.get(refs)
  if (!schema) {
    schema = expertRecordSchema(refs)
    schemas.set(refs, schema)
  }
  // As conform does for array fields: an absent list is an empty one.
  const lists = { professions: [], primaryDomains: [], secondaryDomains: [], specialties: [] }
  const result = schema.safeParse({ ...lists, ...values })
  if (result.success) return { ok: true, value: result.data }
  const errors: Partial<Record<RecordField | '', string[]>> = {}
  for (const issue of result.error.issues) {
    const field = (issue.path[0] ?? '') as RecordField | ''
    const list = errors[field] ?? []
    if (!list.includes(issue.message)) list.push(issue.message)
    errors[field] = list
  }
  return { ok: false, errors }
}

const headerFor = (field: RecordField | '') => (field && field in HEADER_OF ? HEADER_OF[field as ImportField] : '')

/** Checks one row's cells (by field) with the admission rules and the importer's scope. */
export function checkRow(
  rowNumber: number,
  cells: Partial<Record<ImportField, string>>,
  lossyFields: readonly ImportField[],
  ctx: CheckContext,
): RowCheck {
  const name = (cells.name ?? '').trim()
  const errors: CellError[] = []
  const add = (field: RecordField | '', message: string) => {
    const column = headerFor(field)
    if (!errors.some((e) => e.column === column && e.message === message)) errors.push({ column, message })
  }
  for (const field of lossyFields) add(field, 'expertImport.error.longNumber')
  const result = validateImportRecord(rowToFormValues(cells, ctx.defaults), ctx.refs)
  if (!result.ok) {
    for (const [field, messages] of Object.entries(result.errors) as [RecordField | '', string[] | undefined][]) {
      for (const message of messages ?? []) add(field, message)
    }
    return { row: rowNumber, name, ok: false, errors }
  }
  const record = result.value
  const appointingRegion = record.tier === 'national' ? null : (record.regionCode ?? null)
  if (!mayEditExpert(ctx.principal, { personId: '', regionCode: appointingRegion, regionPath: null })) {
    add(record.tier === 'national' ? 'tier' : 'regionCode', 'experts.validation.notYourBody')
  }
  if (errors.length) return { row: rowNumber, name, ok: false, errors }
  const warning = ageLimitWarning(record.birthDate, record.termEnd, ctx.ageLimit)
  return { row: rowNumber, name, ok: true, record, warnings: warning ? [messageRef('expertImport.warning.age', warning)] : [] }
}

/** Checks a whole sheet: headers first (a missing required column stops there), then every row. */
export function checkSheet(sheet: SheetData, ctx: CheckContext): SheetCheck {
  const mapping = mapHeaders(sheet.headers, EXPERT_COLUMNS)
  if (mapping.missing.length) return { mapping, rows: [] }
  const seen = new Map<string, number>()
  const rows = sheet.rows.map((sheetRow) => {
    const cells: Partial<Record<ImportField, string>> = {}
    const lossy: ImportField[] = []
    for (const [field, index] of Object.entries(mapping.columns) as [ImportField, number][]) {
      cells[field] = sheetRow.cells[index] ?? ''
      if (sheetRow.lossy.includes(index)) lossy.push(field)
    }
    const check = checkRow(sheetRow.rowNumber, cells, lossy, ctx)
    if (!check.ok) return check
    // The same person twice in one file: the first row counts, later ones are errors.
    const id = normaliseIdNumber(check.record.idNumber)
    const first = seen.get(id)
    if (first !== undefined) {
      return {
        row: check.row,
        name: check.name,
        ok: false as const,
        errors: [{ column: HEADER_OF.idNumber, message: messageRef('expertImport.error.duplicateInFile', { row: first }) }],
      }
    }
    seen.set(id, check.row)
    return check
  })
  return { mapping, rows }
}
