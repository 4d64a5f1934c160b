/**
 * Matching a spreadsheet's header row to known columns (pure). Headers are compared after
 * trimming, removing spaces and a trailing `*` (a "required" mark) and ignoring case, so `身份证号 *`
 * and ` 身份证号` both match; each column may list aliases (an English header, an older name).
 */

export interface ColumnSpec<F extends string = string> {
  field: F
  /** The header written in templates and exports (Chinese). */
  header: string
  /** Other headers accepted on import. */
  aliases?: readonly string[]
  required?: boolean
}

export interface HeaderMapping<F extends string = string> {
  /** Column index (0-based) of each recognised field. */
  columns: Partial<Record<F, number>>
  /** Headers present in the file that match no column (ignored). */
  unknown: string[]
  /** Required columns the file lacks, by their template header. */
  missing: string[]
  /** Headers that appear more than once (the first one is used). */
  repeated: string[]
}

export function normaliseHeader(text: string): string {
  return text
    .replace(/\s+/g, '')
    .replace(/[*＊]+$/, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .toLowerCase()
}

export function mapHeaders<F extends string>(headerRow: readonly string[], specs: readonly ColumnSpec<F>[]): HeaderMapping<F> {
  const byName = new Map<string, F>()
  for (const spec of specs) {
    for (const name of [spec.header, ...(spec.aliases ?? [])]) byName.set(normaliseHeader(name), spec.field)
  }
  const columns: Partial<Record<F, number>> = {}
  const unknown: string[] = []
  const repeated: string[] = []
  headerRow.forEach((raw, index) => {
    const name = normaliseHeader(raw ?? '')
    if (!name) return
    const field = byName.get(name)
    if (!field) unknown.push(raw.trim())
    else if (columns[field] !== undefined) repeated.push(raw.trim())
    else columns[field] = index
  })
  const missing = specs.filter((s) => s.required && columns[s.field] === undefined).map((s) => s.header)
  return { columns, unknown, missing, repeated }
}
