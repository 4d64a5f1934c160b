/**
 * The audit archive's pure parts: where the retention cuts, how the archived-through watermark is
 * written and read, and how a file's lines are checked against what was written.
 */
import { encodeCursor, parseCursor } from '#app/lib/keyset.ts'

const DAY_MS = 86_400_000

/** Entries written before this instant are older than the retention and due for the archive. */
export function retentionCutoff(now: Date, retentionDays: number): string {
  return new Date(now.getTime() - retentionDays * DAY_MS).toISOString()
}

export interface Watermark {
  at: string
  id: string
}

export function formatWatermark(w: Watermark): string {
  return encodeCursor(w.at, w.id)
}

/** The stored watermark, or null when nothing has been archived yet (or the value is unreadable). */
export function parseWatermark(value: string): Watermark | null {
  if (!value) return null
  const cursor = parseCursor(new URLSearchParams({ after: value }))
  return cursor ? { at: cursor.at, id: cursor.id } : null
}

/** The instant the archive reaches, for the viewer's notice. */
export function archivedThroughInstant(value: string): string | null {
  return parseWatermark(value)?.at ?? null
}

/** `audit-log-<first day>_<last day>-<run stamp>.jsonl.gz`: sortable, and never the same twice. */
export function archiveFileName(firstAt: string, lastAt: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z')
  return `audit-log-${firstAt.slice(0, 10)}_${lastAt.slice(0, 10)}-${stamp}.jsonl.gz`
}

export interface ArchiveCheck {
  ok: boolean
  rows: number
  firstId: string | null
  lastId: string | null
}

/** Reads JSON lines back: every line an object with an id, in (at, id) order. */
export function checkLines(text: string): ArchiveCheck {
  const lines = text.split('\n').filter((l) => l.length > 0)
  let previous: Watermark | null = null
  let firstId: string | null = null
  for (const line of lines) {
    let row: unknown
    try {
      row = JSON.parse(line)
    } catch {
      return { ok: false, rows: lines.length, firstId, lastId: null }
    }
    const r = row as { id?: unknown; at?: unknown }
    if (typeof r.id !== 'string' || typeof r.at !== 'string') return { ok: false, rows: lines.length, firstId, lastId: null }
    if (previous && (r.at < previous.at || (r.at === previous.at && r.id <= previous.id))) {
      return { ok: false, rows: lines.length, firstId, lastId: null }
    }
    firstId ??= r.id
    previous = { at: r.at, id: r.id }
  }
  return { ok: true, rows: lines.length, firstId, lastId: previous?.id ?? null }
}
