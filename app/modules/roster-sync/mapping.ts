/**
 * Column mapping (pure): which column of the uploaded file fills which field. A source remembers
 * its mapping by header text (so a file whose columns moved still maps); a new file is mapped
 * from that memory first, then by suggestion from the headers' Chinese (or English) names.
 */
import { normaliseHeader } from '#app/lib/xlsx/headers.ts'
import type { FieldSpec, SyncField } from './fields.ts'

/** Column index (0-based) per field; null when the field is not filled from the file. */
export type ColumnMapping = Partial<Record<SyncField, number | null>>
/** What a source keeps: field → header text. */
export type SavedMapping = Partial<Record<SyncField, string>>

/**
 * How well a header names a field: 3 for one of its headers exactly, 2 when the header contains
 * one of them (`调解组织代码（省平台）`), 1 when one of them contains the header (`名称` for
 * `组织名称`); the earlier a field's header is listed, the stronger within the same level.
 */
export function headerScore(header: string, spec: FieldSpec): number {
  const h = normaliseHeader(header)
  if (!h) return 0
  let best = 0
  spec.headers.forEach((raw, index) => {
    const name = normaliseHeader(raw)
    const order = 1 - index / (spec.headers.length + 1)
    let level = 0
    if (h === name) level = 3
    else if (name.length >= 2 && h.includes(name)) level = 2
    else if (h.length >= 2 && name.includes(h)) level = 1
    if (level) best = Math.max(best, level + order * 0.5)
  })
  return best
}

/**
 * Suggests a mapping: the saved header for each field when the file has it, then the best
 * remaining pairs of field and header by score, each column used once.
 */
export function suggestMapping(headers: readonly string[], specs: readonly FieldSpec[], saved: SavedMapping = {}): ColumnMapping {
  const mapping: ColumnMapping = {}
  const used = new Set<number>()
  for (const spec of specs) {
    const want = saved[spec.field]
    if (!want) continue
    const index = headers.findIndex((h, i) => !used.has(i) && normaliseHeader(h) === normaliseHeader(want))
    if (index >= 0) {
      mapping[spec.field] = index
      used.add(index)
    }
  }
  const candidates: { field: SyncField; index: number; score: number }[] = []
  for (const spec of specs) {
    if (mapping[spec.field] !== undefined) continue
    headers.forEach((header, index) => {
      const score = headerScore(header, spec)
      if (score > 0) candidates.push({ field: spec.field, index, score })
    })
  }
  candidates.sort((a, b) => b.score - a.score || a.index - b.index)
  for (const c of candidates) {
    if (mapping[c.field] !== undefined || used.has(c.index)) continue
    mapping[c.field] = c.index
    used.add(c.index)
  }
  for (const spec of specs) mapping[spec.field] ??= null
  return mapping
}

/** Problems of a chosen mapping, per field (message keys). */
export function mappingErrors(
  mapping: ColumnMapping,
  specs: readonly FieldSpec[],
  columnCount: number,
): Partial<Record<SyncField, string>> {
  const errors: Partial<Record<SyncField, string>> = {}
  const byColumn = new Map<number, SyncField>()
  for (const spec of specs) {
    const index = mapping[spec.field]
    if (index === null || index === undefined) {
      if (spec.required) errors[spec.field] = 'rosterSync.mapping.required'
      continue
    }
    if (!Number.isInteger(index) || index < 0 || index >= columnCount) {
      errors[spec.field] = 'validation.choice'
      continue
    }
    if (byColumn.has(index)) errors[spec.field] = 'rosterSync.mapping.duplicate'
    else byColumn.set(index, spec.field)
  }
  return errors
}

/** The mapping as a source keeps it (by header text). */
export function toSaved(mapping: ColumnMapping, headers: readonly string[]): SavedMapping {
  const saved: SavedMapping = {}
  for (const [field, index] of Object.entries(mapping) as [SyncField, number | null][]) {
    if (index !== null && headers[index]) saved[field] = headers[index]
  }
  return saved
}

/** Exactly the saved mapping as column indexes (fields left out stay unmapped; no new suggestions). */
export function fromSaved(saved: SavedMapping, headers: readonly string[], specs: readonly FieldSpec[]): ColumnMapping {
  const mapping: ColumnMapping = {}
  for (const spec of specs) {
    const want = saved[spec.field]
    const index = want ? headers.findIndex((h) => normaliseHeader(h) === normaliseHeader(want)) : -1
    mapping[spec.field] = index >= 0 ? index : null
  }
  return mapping
}

/**
 * The mapping offered for a new file: the source's saved mapping exactly when the file has every
 * header it names (the same export layout: fields left unmapped stay unmapped), otherwise
 * suggestions that prefer the saved headers still present.
 */
export function initialMapping(headers: readonly string[], specs: readonly FieldSpec[], saved: SavedMapping): ColumnMapping {
  const names = Object.values(saved).filter((h): h is string => !!h)
  const sameLayout = names.length > 0 && names.every((want) => headers.some((h) => normaliseHeader(h) === normaliseHeader(want)))
  return sameLayout ? fromSaved(saved, headers, specs) : suggestMapping(headers, specs, saved)
}

export function parseSaved(json: string): SavedMapping {
  try {
    const value = JSON.parse(json) as unknown
    if (!value || typeof value !== 'object') return {}
    return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'string')) as SavedMapping
  } catch {
    return {}
  }
}
