/**
 * Checking the rows of a roster file (pure): each cell through the same rules as the organisation
 * and mediator forms, references (region, sector, organisation code) against look-ups prepared by
 * the caller, the run's region (rows outside it are errors), numbers Excel has mangled, and the
 * same organisation code, ID number or work-card number twice in one file.
 */
import { translate } from '#app/lib/i18n.ts'
import { messageRef } from '#app/lib/i18n.ts'
import { idNumberProblem, isValidPhone, normaliseIdNumber, normalisePhone } from '#app/lib/personal-numbers.ts'
import { isCalendarDate } from '#app/lib/time.ts'
import { normaliseHeader } from '#app/lib/xlsx/headers.ts'
import { normaliseDateText } from '#app/modules/experts/import/columns.ts'
import { ORG_KINDS, orgKindLabel } from '#app/modules/orgs/labels.ts'
import type { OrgKind } from '#db/schema.ts'
import type { MediatorField, OrgField, SyncField } from './fields.ts'
import type { ColumnMapping } from './mapping.ts'

/** One problem of one row: the file's column header ('' for the whole row) and a message reference. */
export interface CellError {
  column: string
  message: string
}

export interface SheetRowInput {
  rowNumber: number
  cells: readonly string[]
  lossy: readonly number[]
}

/**
 * Optional fields are `undefined` when their column is not mapped (the sync leaves them alone)
 * and `null` when the mapped cell is blank (the sync clears them): the file is the authority for
 * what it carries.
 */
export interface OrgRecord {
  code: string
  name: string
  kind: OrgKind
  sectorCode: string | null | undefined
  regionCode: string
  regionPath: string
  address: string | null | undefined
  contactPhone: string | null | undefined
}

export interface MediatorRecord {
  name: string
  idNumber: string
  phone: string | null | undefined
  orgCode: string
  orgId: string
  regionCode: string
  employment: 'full_time' | 'part_time'
  cardNumber: string | null | undefined
  startedOn: string | null | undefined
}

export type RowResult<R> =
  | { row: number; label: string; ok: true; record: R }
  | { row: number; label: string; ok: false; errors: CellError[] }

export interface OrgCheckContext {
  /** Regions by code, with their materialised paths. */
  regions: ReadonlyMap<string, { path: string; name: string }>
  /** The run's region subtree: rows outside it are errors. */
  scopePath: string
  /** Active dispute types: code → code, and Chinese name → code. */
  sectors: ReadonlyMap<string, string>
}

export interface MediatorCheckContext {
  /** Organisations linked to the source, by code. */
  orgs: ReadonlyMap<string, { orgId: string; regionCode: string; regionPath: string; status: 'active' | 'dissolved' }>
  scopePath: string
}

export function normaliseCode(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase()
}

const KIND_ALIASES: Record<string, OrgKind> = {
  行专调委会: 'committee_sector',
  行业性调委会: 'committee_sector',
  专业性调委会: 'committee_sector',
  村调委会: 'committee_village',
  居调委会: 'committee_village',
  社区调委会: 'committee_village',
  街道调委会: 'committee_township',
  乡镇调委会: 'committee_township',
  企业调委会: 'committee_enterprise',
  调解协会: 'association',
  派驻调解室: 'committee_stationed',
}

function kindKey(text: string): string {
  return normaliseHeader(text)
    .replace(/人民调解委员会$/, '调委会')
    .replace(/调解委员会$/, '调委会')
}

/** Kind names: the codes, the Chinese and English labels (long and 调委会 forms) and common aliases. */
const KIND_NAMES: ReadonlyMap<string, OrgKind> = new Map([
  ...ORG_KINDS.flatMap((kind): [string, OrgKind][] => [
    [kindKey(kind), kind],
    [kindKey(translate('zh-CN', orgKindLabel(kind))), kind],
    [kindKey(translate('en', orgKindLabel(kind))), kind],
  ]),
  ...Object.entries(KIND_ALIASES).map(([k, v]): [string, OrgKind] => [kindKey(k), v]),
])

export function parseOrgKind(text: string): OrgKind | null {
  return KIND_NAMES.get(kindKey(text)) ?? null
}

const EMPLOYMENTS: Record<string, 'full_time' | 'part_time'> = {
  专职: 'full_time',
  专职调解员: 'full_time',
  兼职: 'part_time',
  兼职调解员: 'part_time',
  full_time: 'full_time',
  'full-time': 'full_time',
  fulltime: 'full_time',
  part_time: 'part_time',
  'part-time': 'part_time',
  parttime: 'part_time',
}

export function parseEmployment(text: string): 'full_time' | 'part_time' | null {
  return EMPLOYMENTS[normaliseHeader(text)] ?? null
}

/** Reads a row's cells by field; `undefined` for unmapped fields. */
function cellsOf<F extends SyncField>(row: SheetRowInput, mapping: ColumnMapping, fields: readonly F[]) {
  const cells: Partial<Record<F, string>> = {}
  const lossy: F[] = []
  for (const field of fields) {
    const index = mapping[field]
    if (index === null || index === undefined) continue
    cells[field] = (row.cells[index] ?? '').trim()
    if (row.lossy.includes(index)) lossy.push(field)
  }
  return { cells, lossy }
}

class Problems {
  readonly list: CellError[] = []
  constructor(
    private readonly headers: readonly string[],
    private readonly mapping: ColumnMapping,
  ) {}
  add(field: SyncField | '', message: string) {
    const index = field ? this.mapping[field] : null
    const column = index === null || index === undefined ? '' : (this.headers[index] ?? '')
    if (!this.list.some((e) => e.column === column && e.message === message)) this.list.push({ column, message })
  }
}

const ORG_FIELD_LIST: readonly OrgField[] = ['code', 'name', 'kind', 'sector', 'region', 'address', 'contactPhone']
const MEDIATOR_FIELD_LIST: readonly MediatorField[] = ['name', 'idNumber', 'phone', 'orgCode', 'employment', 'cardNumber', 'startedOn']
const CODE_PATTERN = /^[0-9A-Z][0-9A-Z-]{0,63}$/
const ORG_PHONE = /^[\d\s()+-]*$/

function optional(cell: string | undefined): string | null | undefined {
  if (cell === undefined) return undefined
  return cell === '' ? null : cell
}

export function checkOrgRow(
  row: SheetRowInput,
  headers: readonly string[],
  mapping: ColumnMapping,
  ctx: OrgCheckContext,
): RowResult<OrgRecord> {
  const { cells, lossy } = cellsOf(row, mapping, ORG_FIELD_LIST)
  const problems = new Problems(headers, mapping)
  for (const field of lossy) problems.add(field, 'rosterSync.error.longNumber')
  const code = normaliseCode(cells.code ?? '')
  if (!code) problems.add('code', 'validation.required')
  else if (!CODE_PATTERN.test(code)) problems.add('code', 'rosterSync.error.codeFormat')
  const name = cells.name ?? ''
  if (!name) problems.add('name', 'validation.required')
  else if (name.length > 128) problems.add('name', messageRef('validation.tooLong', { max: 128 }))
  const kindText = cells.kind ?? ''
  const kind = kindText ? parseOrgKind(kindText) : null
  if (!kindText) problems.add('kind', 'validation.required')
  else if (!kind) problems.add('kind', 'rosterSync.error.kind')
  let sectorCode = optional(cells.sector)
  if (sectorCode) {
    const found = ctx.sectors.get(sectorCode) ?? ctx.sectors.get(sectorCode.toLowerCase())
    if (!found) problems.add('sector', 'rosterSync.error.sector')
    sectorCode = found ?? null
  }
  if (kind === 'committee_sector' && !sectorCode)
    problems.add(mapping.sector === undefined || mapping.sector === null ? 'kind' : 'sector', 'orgs.error.sectorRequired')
  // Only sector committees carry a sector (as on the organisation form).
  if (kind && kind !== 'committee_sector' && sectorCode !== undefined) sectorCode = null
  const regionText = cells.region ?? ''
  const region = regionText ? resolveRegion(regionText, ctx) : null
  if (!regionText) problems.add('region', 'validation.required')
  else if (region === 'ambiguous') problems.add('region', 'rosterSync.error.regionAmbiguous')
  else if (!region) problems.add('region', 'rosterSync.error.region')
  else if (!region.path.startsWith(ctx.scopePath)) problems.add('region', 'rosterSync.error.outOfScope')
  const address = optional(cells.address)
  if (address && address.length > 255) problems.add('address', messageRef('validation.tooLong', { max: 255 }))
  const contactPhone = optional(cells.contactPhone)
  if (contactPhone && (contactPhone.length > 32 || !ORG_PHONE.test(contactPhone))) problems.add('contactPhone', 'orgs.error.phoneFormat')
  const label = name || code
  if (problems.list.length || !kind || !region || region === 'ambiguous')
    return { row: row.rowNumber, label, ok: false, errors: problems.list }
  return {
    row: row.rowNumber,
    label,
    ok: true,
    record: { code, name, kind, sectorCode, regionCode: region.code, regionPath: region.path, address, contactPhone },
  }
}

function resolveRegion(text: string, ctx: OrgCheckContext): { code: string; path: string } | 'ambiguous' | null {
  const value = text.replace(/\s+/g, '')
  const byCode = ctx.regions.get(value)
  if (byCode) return { code: value, path: byCode.path }
  const named = [...ctx.regions].filter(([, r]) => r.name === value)
  if (named.length > 1) {
    // A name used twice (朝阳区 in two cities) is fine when only one lies in the run's region.
    const inScope = named.filter(([, r]) => r.path.startsWith(ctx.scopePath))
    if (inScope.length !== 1) return 'ambiguous'
    return { code: inScope[0]![0], path: inScope[0]![1].path }
  }
  const [only] = named
  return only ? { code: only[0], path: only[1].path } : null
}

export function checkMediatorRow(
  row: SheetRowInput,
  headers: readonly string[],
  mapping: ColumnMapping,
  ctx: MediatorCheckContext,
): RowResult<MediatorRecord> {
  const { cells, lossy } = cellsOf(row, mapping, MEDIATOR_FIELD_LIST)
  const problems = new Problems(headers, mapping)
  for (const field of lossy) problems.add(field, 'rosterSync.error.longNumber')
  const name = cells.name ?? ''
  if (!name) problems.add('name', 'validation.required')
  else if (name.length > 64) problems.add('name', messageRef('validation.tooLong', { max: 64 }))
  const idNumber = normaliseIdNumber((cells.idNumber ?? '').replace(/\s/g, ''))
  if (!idNumber) problems.add('idNumber', 'validation.required')
  else if (!lossy.includes('idNumber')) {
    const problem = idNumberProblem(idNumber)
    if (problem) problems.add('idNumber', `validation.idNumber.${problem}`)
  }
  const phoneCell = optional(cells.phone)
  const phone = phoneCell ? normalisePhone(phoneCell) : phoneCell
  if (phone && !isValidPhone(phone) && !lossy.includes('phone')) problems.add('phone', 'validation.phone')
  const orgCode = normaliseCode(cells.orgCode ?? '')
  const org = orgCode ? ctx.orgs.get(orgCode) : undefined
  if (!orgCode) problems.add('orgCode', 'validation.required')
  else if (!org) problems.add('orgCode', 'rosterSync.error.unknownOrg')
  else if (!org.regionPath.startsWith(ctx.scopePath)) problems.add('orgCode', 'rosterSync.error.outOfScope')
  else if (org.status !== 'active') problems.add('orgCode', 'rosterSync.error.orgDissolved')
  const employmentText = cells.employment ?? ''
  const employment = employmentText ? parseEmployment(employmentText) : null
  if (!employmentText) problems.add('employment', 'validation.required')
  else if (!employment) problems.add('employment', 'rosterSync.error.employment')
  const cardCell = optional(cells.cardNumber)
  const cardNumber = cardCell ? cardCell.toUpperCase() : cardCell
  if (cardNumber && cardNumber.length > 32) problems.add('cardNumber', messageRef('validation.tooLong', { max: 32 }))
  const startedCell = optional(cells.startedOn)
  const startedOn = startedCell ? normaliseDateText(startedCell) : startedCell
  if (startedOn && !isCalendarDate(startedOn)) problems.add('startedOn', 'validation.date')
  if (problems.list.length || !org || !employment) return { row: row.rowNumber, label: name, ok: false, errors: problems.list }
  return {
    row: row.rowNumber,
    label: name,
    ok: true,
    record: {
      name,
      idNumber,
      phone,
      orgCode,
      orgId: org.orgId,
      regionCode: org.regionCode,
      employment,
      cardNumber,
      startedOn,
    },
  }
}

/**
 * Marks later rows repeating a key of an earlier good row as errors (the first one counts).
 * `keys` returns the row's keys with the field each belongs to.
 */
export function markDuplicates<R>(
  results: RowResult<R>[],
  headers: readonly string[],
  mapping: ColumnMapping,
  keys: (record: R) => { field: SyncField; key: string | null | undefined }[],
): RowResult<R>[] {
  const seen = new Map<string, number>()
  return results.map((result) => {
    if (!result.ok) return result
    const problems = new Problems(headers, mapping)
    for (const { field, key } of keys(result.record)) {
      if (!key) continue
      const first = seen.get(`${field}:${key}`)
      if (first !== undefined) problems.add(field, messageRef('rosterSync.error.duplicateInFile', { row: first }))
    }
    if (problems.list.length) return { row: result.row, label: result.label, ok: false as const, errors: problems.list }
    for (const { field, key } of keys(result.record)) if (key) seen.set(`${field}:${key}`, result.row)
    return result
  })
}

export function checkOrgRows(rows: readonly SheetRowInput[], headers: readonly string[], mapping: ColumnMapping, ctx: OrgCheckContext) {
  return markDuplicates(
    rows.map((r) => checkOrgRow(r, headers, mapping, ctx)),
    headers,
    mapping,
    (r) => [{ field: 'code', key: r.code }],
  )
}

export function checkMediatorRows(
  rows: readonly SheetRowInput[],
  headers: readonly string[],
  mapping: ColumnMapping,
  ctx: MediatorCheckContext,
) {
  return markDuplicates(
    rows.map((r) => checkMediatorRow(r, headers, mapping, ctx)),
    headers,
    mapping,
    (r) => [
      { field: 'idNumber', key: r.idNumber },
      { field: 'cardNumber', key: r.cardNumber },
    ],
  )
}
