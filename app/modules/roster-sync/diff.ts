/**
 * The diff between a checked roster file and what Tiaojie holds (pure). Organisations match by
 * the source's code for them (or, the first time, by exact name within the same region, which
 * links the code); mediators match by the keyed hash of their ID number, never by the number.
 * Every entry keeps the versions it read, so applying can prove nothing changed in between.
 */
import type { OrgKind } from '#db/schema.ts'
import type { CellError, MediatorRecord, OrgRecord } from './rows.ts'

export interface FieldChange {
  field: string
  before: string | null
  after: string | null
}

export interface OrgState {
  id: string
  name: string
  kind: OrgKind
  sectorCode: string | null
  regionCode: string
  regionPath: string
  address: string | null
  contactPhone: string | null
  status: 'active' | 'dissolved'
  version: number
}

export interface OrgDiffInput {
  /** Organisations linked to the source, by code. */
  linked: ReadonlyMap<string, OrgState>
  /** Organisations not linked to the source yet, by `region code + name`. */
  unlinked: ReadonlyMap<string, readonly OrgState[]>
  /** Active organisations linked to the source within the run's region (candidates for "missing"). */
  inScope: readonly { code: string; state: OrgState }[]
  /** Codes present in the file, including rows with errors (those are not "missing"). */
  presentCodes: ReadonlySet<string>
  scopePath: string
}

export interface RowError {
  row: number
  label: string
  errors: CellError[]
}

export interface NewEntry<R, S> {
  row: number
  key: string
  label: string
  record: R
  /** A registered person who becomes a mediator (mediator files only). */
  state?: S
}

export interface ChangedEntry<R, S> {
  row: number
  key: string
  label: string
  record: R
  state: S
  /** True when the organisation is matched by name and the source's code is linked to it now. */
  link: boolean
  changes: FieldChange[]
}

export interface MissingEntry<S> {
  key: string
  label: string
  state: S
}

export interface Diff<R, S> {
  created: NewEntry<R, S>[]
  changed: ChangedEntry<R, S>[]
  unchanged: { row: number; state: S }[]
  missing: MissingEntry<S>[]
  errors: RowError[]
}

export type OrgDiff = Diff<OrgRecord, OrgState>

export const unlinkedKey = (regionCode: string, name: string) => `${regionCode}\u0000${name}`

type OrgComparable = Pick<OrgState, 'name' | 'kind' | 'sectorCode' | 'regionCode' | 'address' | 'contactPhone'>

function compare<T extends Record<string, string | null | undefined>>(before: T, after: Partial<T>): FieldChange[] {
  const out: FieldChange[] = []
  for (const [field, value] of Object.entries(after)) {
    if (value === undefined) continue
    const old = before[field] ?? null
    if (old !== value) out.push({ field, before: old, after: value })
  }
  return out
}

export function orgChanges(state: OrgState, record: OrgRecord): FieldChange[] {
  const before: OrgComparable = state
  const after: Partial<OrgComparable> = {
    name: record.name,
    kind: record.kind,
    sectorCode: record.sectorCode,
    regionCode: record.regionCode,
    address: record.address,
    contactPhone: record.contactPhone,
  }
  const changes = compare(before as unknown as Record<string, string | null>, after as Record<string, string | null | undefined>)
  // A dissolved organisation that appears in the file again is active again.
  if (state.status !== 'active') changes.push({ field: 'status', before: state.status, after: 'active' })
  return changes
}

export function diffOrgs(rows: readonly { row: number; label: string; record: OrgRecord }[], input: OrgDiffInput): OrgDiff {
  const diff: OrgDiff = { created: [], changed: [], unchanged: [], missing: [], errors: [] }
  const claimed = new Set<string>()
  for (const { row, label, record } of rows) {
    let state = input.linked.get(record.code)
    let link = false
    if (!state) {
      const candidates = (input.unlinked.get(unlinkedKey(record.regionCode, record.name)) ?? []).filter((c) => !claimed.has(c.id))
      if (candidates.length === 1) {
        state = candidates[0]!
        link = true
      }
    }
    if (!state) {
      diff.created.push({ row, key: record.code, label, record })
      continue
    }
    if (!state.regionPath.startsWith(input.scopePath)) {
      diff.errors.push({ row, label, errors: [{ column: '', message: 'rosterSync.error.orgOutOfScope' }] })
      continue
    }
    claimed.add(state.id)
    const changes = orgChanges(state, record)
    if (changes.length || link) diff.changed.push({ row, key: record.code, label, record, state, link, changes })
    else diff.unchanged.push({ row, state })
  }
  for (const { code, state } of input.inScope) {
    if (state.status !== 'active' || input.presentCodes.has(code)) continue
    diff.missing.push({ key: code, label: state.name, state })
  }
  return diff
}

/** A mediator row with its numbers hashed and masked by the caller (crypto stays out of pure code). */
export interface MediatorRow {
  row: number
  label: string
  record: MediatorRecord
  idHash: string
  idMasked: string
  phoneHash: string | null | undefined
  phoneMasked: string | null | undefined
}

export interface PersonState {
  personId: string
  name: string
  idMasked: string | null
  phoneHash: string | null
  phoneMasked: string | null
  regionPath: string
  version: number
  mediator: {
    orgId: string
    orgCode: string | null
    employment: 'full_time' | 'part_time'
    cardNumber: string | null
    startedOn: string | null
    status: 'active' | 'inactive'
    version: number
  } | null
}

export interface MediatorDiffInput {
  /** People registered under the file's ID hashes. */
  people: ReadonlyMap<string, PersonState>
  /** Who holds each of the file's work-card numbers now. */
  cardOwners: ReadonlyMap<string, string>
  /** Active mediators of organisations linked to the source within the run's region. */
  inScope: readonly PersonState[]
  /** ID hashes present in the file, including rows with errors. */
  presentHashes: ReadonlySet<string>
  scopePath: string
}

export type MediatorDiff = Diff<MediatorRow, PersonState>

/** Changes for display: numbers masked, the organisation by its code. */
export function mediatorChanges(state: PersonState, row: MediatorRow): FieldChange[] {
  const { record } = row
  const changes: FieldChange[] = []
  const add = (field: string, before: string | null, after: string | null | undefined) => {
    if (after !== undefined && before !== after) changes.push({ field, before, after })
  }
  add('name', state.name, record.name)
  if (row.phoneHash !== undefined && row.phoneHash !== state.phoneHash) {
    changes.push({ field: 'phone', before: state.phoneMasked, after: row.phoneMasked ?? null })
  }
  const m = state.mediator
  if (!m) return changes
  if (m.orgId !== record.orgId) changes.push({ field: 'orgCode', before: m.orgCode, after: record.orgCode })
  add('employment', m.employment, record.employment)
  add('cardNumber', m.cardNumber, record.cardNumber)
  add('startedOn', m.startedOn, record.startedOn)
  if (m.status !== 'active') changes.push({ field: 'status', before: m.status, after: 'active' })
  return changes
}

export function diffMediators(rows: readonly MediatorRow[], input: MediatorDiffInput): MediatorDiff {
  const diff: MediatorDiff = { created: [], changed: [], unchanged: [], missing: [], errors: [] }
  for (const row of rows) {
    const state = input.people.get(row.idHash)
    const owner = row.record.cardNumber ? input.cardOwners.get(row.record.cardNumber) : undefined
    if (owner && owner !== state?.personId) {
      diff.errors.push({ row: row.row, label: row.label, errors: [{ column: '', message: 'rosterSync.error.cardTaken' }] })
      continue
    }
    if (state && !state.regionPath.startsWith(input.scopePath)) {
      diff.errors.push({ row: row.row, label: row.label, errors: [{ column: '', message: 'rosterSync.error.personOutOfScope' }] })
      continue
    }
    // Not registered, or registered (as an expert, say) but not a mediator yet: a new mediator record.
    if (!state?.mediator) {
      diff.created.push({ row: row.row, key: row.idMasked, label: row.label, record: row, ...(state ? { state } : {}) })
      continue
    }
    const changes = mediatorChanges(state, row)
    if (changes.length) diff.changed.push({ row: row.row, key: row.idMasked, label: row.label, record: row, state, link: false, changes })
    else diff.unchanged.push({ row: row.row, state })
  }
  const present = new Set([...input.presentHashes].flatMap((hash) => input.people.get(hash)?.personId ?? []))
  for (const state of input.inScope) {
    if (!state.mediator || state.mediator.status !== 'active' || present.has(state.personId)) continue
    diff.missing.push({ key: state.idMasked ?? state.personId, label: state.name, state })
  }
  return diff
}

/** The versions a diff read, canonically ordered: applying recomputes this and must find it equal. */
export function diffFingerprintSource<R, S>(diff: Diff<R, S>, idOf: (s: S) => string, versionOf: (s: S) => string): string {
  const sorted = <T>(list: T[], key: (t: T) => string) => [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
  return JSON.stringify({
    created: sorted(
      diff.created.map((c) => `${c.row}:${c.key}:${c.state ? `${idOf(c.state)}@${versionOf(c.state)}` : ''}`),
      (s) => s,
    ),
    changed: sorted(
      diff.changed.map((c) => [idOf(c.state), versionOf(c.state), c.link, c.changes]),
      (c) => String(c[0]),
    ),
    unchanged: sorted(
      diff.unchanged.map((u) => [idOf(u.state), versionOf(u.state)]),
      (u) => String(u[0]),
    ),
    missing: sorted(
      diff.missing.map((m) => [idOf(m.state), versionOf(m.state)]),
      (m) => String(m[0]),
    ),
    errors: diff.errors.length,
  })
}
