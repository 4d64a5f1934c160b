/**
 * The preview report kept with a run and shown on its page (pure): what would be created, what
 * would change (before and after, per field), what the file lacks, and the broken rows with a
 * reason per cell. Personal numbers appear masked only.
 */
import type { RosterRunKind } from '#db/schema.ts'
import type { FieldChange, MediatorDiff, OrgDiff, RowError } from './diff.ts'
import type { SavedMapping } from './mapping.ts'

export interface ReportEntry {
  row: number
  key: string
  label: string
  changes: FieldChange[]
  /** Matched by name the first time: the source's code is linked to this organisation. */
  link?: boolean
}

export interface SyncReport {
  kind: RosterRunKind
  headers: string[]
  mapping: SavedMapping
  errors: RowError[]
  created: ReportEntry[]
  changed: ReportEntry[]
  missing: { key: string; label: string }[]
  /** Display names of the region and sector codes the report mentions. */
  names: Record<string, string>
}

export const EMPTY_REPORT = (kind: RosterRunKind): SyncReport => ({
  kind,
  headers: [],
  mapping: {},
  errors: [],
  created: [],
  changed: [],
  missing: [],
  names: {},
})

const created = (pairs: [string, string | null | undefined][]): FieldChange[] =>
  pairs
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([field, after]) => ({ field, before: null, after: after ?? null }))

export function orgReport(diff: OrgDiff, base: Pick<SyncReport, 'headers' | 'mapping' | 'names'>, rowErrors: RowError[]): SyncReport {
  return {
    kind: 'orgs',
    ...base,
    errors: [...rowErrors, ...diff.errors].sort((a, b) => a.row - b.row),
    created: diff.created.map((c) => ({
      row: c.row,
      key: c.key,
      label: c.label,
      changes: created([
        ['code', c.record.code],
        ['name', c.record.name],
        ['kind', c.record.kind],
        ['sectorCode', c.record.sectorCode],
        ['regionCode', c.record.regionCode],
        ['address', c.record.address],
        ['contactPhone', c.record.contactPhone],
      ]),
    })),
    changed: diff.changed.map((c) => ({ row: c.row, key: c.key, label: c.label, changes: c.changes, link: c.link })),
    missing: diff.missing.map((m) => ({ key: m.key, label: m.label })),
  }
}

export function mediatorReport(
  diff: MediatorDiff,
  base: Pick<SyncReport, 'headers' | 'mapping' | 'names'>,
  rowErrors: RowError[],
): SyncReport {
  return {
    kind: 'mediators',
    ...base,
    errors: [...rowErrors, ...diff.errors].sort((a, b) => a.row - b.row),
    created: diff.created.map((c) => ({
      row: c.row,
      key: c.key,
      label: c.label,
      changes: created([
        ['name', c.record.record.name],
        ['idNumber', c.record.idMasked],
        ['phone', c.record.phoneMasked],
        ['orgCode', c.record.record.orgCode],
        ['employment', c.record.record.employment],
        ['cardNumber', c.record.record.cardNumber],
        ['startedOn', c.record.record.startedOn],
      ]),
    })),
    changed: diff.changed.map((c) => ({ row: c.row, key: c.key, label: c.label, changes: c.changes })),
    missing: diff.missing.map((m) => ({ key: m.key, label: m.label })),
  }
}

export function parseReport(json: string, kind: RosterRunKind): SyncReport {
  try {
    return { ...EMPTY_REPORT(kind), ...(JSON.parse(json) as Partial<SyncReport>) }
  } catch {
    return EMPTY_REPORT(kind)
  }
}
