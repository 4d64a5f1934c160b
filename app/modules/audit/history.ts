/**
 * A record's history as people read it: for each audit entry, the fields that changed with their
 * values before and after (as changes.ts wrote them), and whatever else the entry noted (a reason,
 * a count). Pure; the values are already masked by the code that wrote the entry.
 */
export interface FieldChange {
  field: string
  before: string
  after: string
}

export interface ReadableDetail {
  changes: FieldChange[]
  /** The rest of the detail (reason, counts…), indented JSON; null when there is nothing else. */
  note: string | null
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A stored value as text: strings as they are, nothing as a dash, anything else as JSON. */
export function showValue(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—'
  if (typeof value === 'string') return value
  return JSON.stringify(value)
}

export function readDetail(detail: string | null): ReadableDetail {
  if (!detail) return { changes: [], note: null }
  let parsed: unknown
  try {
    parsed = JSON.parse(detail)
  } catch {
    return { changes: [], note: detail }
  }
  if (!isPlainObject(parsed)) return { changes: [], note: JSON.stringify(parsed, null, 2) }
  const { before, after, ...rest } = parsed
  const changes: FieldChange[] = []
  if (isPlainObject(before) || isPlainObject(after)) {
    const b = isPlainObject(before) ? before : {}
    const a = isPlainObject(after) ? after : {}
    // The fields in the order the writer listed them, after-side first (a creation has only "after").
    const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])]
    for (const field of fields) changes.push({ field, before: showValue(b[field]), after: showValue(a[field]) })
  } else if (before !== undefined || after !== undefined) {
    // A single value (a setting): one change without a field name.
    changes.push({ field: '', before: showValue(before), after: showValue(after) })
  }
  const note = Object.keys(rest).length ? JSON.stringify(rest, null, 2) : null
  return { changes, note }
}
