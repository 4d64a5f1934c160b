/**
 * Highlighted snippets as data (text segments flagged as hits), never as HTML: the page renders
 * `<mark>` elements itself, so nothing from a document is ever inserted as markup.
 */
import { searchText } from './tokenizer.ts'

export interface SnippetPart {
  text: string
  hit: boolean
}

/** Strings to highlight for a list of query tokens (bigrams, words, article numbers, Latin words). */
function ranges(lower: string, tokens: string[]): [number, number][] {
  const found: [number, number][] = []
  for (const token of tokens) {
    if (!token) continue
    let at = lower.indexOf(token)
    let guard = 0
    while (at !== -1 && guard++ < 500) {
      found.push([at, at + token.length])
      at = lower.indexOf(token, at + 1)
    }
  }
  found.sort((a, b) => a[0] - b[0])
  const merged: [number, number][] = []
  for (const r of found) {
    const last = merged.at(-1)
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1])
    else merged.push([r[0], r[1]])
  }
  return merged
}

/**
 * The window of about `length` characters with the most highlighted characters, split into parts.
 * Without any hit, the start of the text.
 */
export function snippet(text: string, tokens: string[], length = 110): SnippetPart[] {
  const display = searchText(text).replace(/\s+/g, ' ').trim()
  const lower = display.toLowerCase()
  // toLowerCase keeps the length for the scripts indexed here; if not, highlight nothing.
  const marks = lower.length === display.length ? ranges(lower, tokens) : []
  let start = 0
  if (marks.length) {
    let best = -1
    for (const [s] of marks) {
      const from = Math.max(0, s - 20)
      const covered = marks.reduce((sum, [a, b]) => sum + Math.max(0, Math.min(b, from + length) - Math.max(a, from)), 0)
      if (covered > best) {
        best = covered
        start = from
      }
    }
  }
  const end = Math.min(display.length, start + length)
  const parts: SnippetPart[] = []
  if (start > 0) parts.push({ text: '…', hit: false })
  let at = start
  for (const [a, b] of marks) {
    if (b <= start || a >= end) continue
    const s = Math.max(a, start)
    const e = Math.min(b, end)
    if (s > at) parts.push({ text: display.slice(at, s), hit: false })
    parts.push({ text: display.slice(s, e), hit: true })
    at = e
  }
  if (at < end) parts.push({ text: display.slice(at, end), hit: false })
  if (end < display.length) parts.push({ text: '…', hit: false })
  return parts
}
