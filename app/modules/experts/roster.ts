/**
 * The roster's state in its URL (shareable, back button works): search, filters, sort and a
 * keyset cursor. Pure; malformed values fall back to defaults, so a hand-edited link never errors.
 *
 * Keyset pagination: `after=<cursor>` (next page) or `before=<cursor>` (previous page), where the
 * cursor carries the sort, its direction and the last (or first) row's sort value and id. Deep
 * pages cost the same as the first because the query seeks through an index instead of skipping
 * rows (bench/experts-roster.ts).
 */
import { isId } from '#app/lib/ids.ts'
import { PAGE_SIZES } from '#app/lib/list-params.ts'
import type { ExpertStatus, ExpertTier } from '#db/schema.ts'
import { STATUSES, TIERS } from './model.ts'

export const ROSTER_SORTS = ['name', 'term_end', 'updated_at'] as const
export type RosterSort = (typeof ROSTER_SORTS)[number]

export const TERM_FILTERS = ['current', 'expiring', 'expired'] as const
export type TermFilter = (typeof TERM_FILTERS)[number]

export interface RosterCursor {
  direction: 'after' | 'before'
  value: string
  id: string
}

export interface RosterQuery {
  q: string
  tier: ExpertTier | null
  status: ExpertStatus | null
  /** Appointing region (and its subtree). */
  region: string | null
  /** A primary or secondary domain (dispute-type code). */
  domain: string | null
  /** A dispute type handled best (擅长). */
  specialty: string | null
  term: TermFilter | null
  /** Only the experts the user's own body appointed (and so may edit). */
  mine: boolean
  sort: RosterSort
  dir: 'asc' | 'desc'
  pageSize: number
  cursor: RosterCursor | null
}

const DEFAULT_SORT: RosterSort = 'name'

function pick<T extends string>(value: string | null, allowed: readonly T[]): T | null {
  return value && (allowed as readonly string[]).includes(value) ? (value as T) : null
}

/** A dispute-type code as the URL carries it: the reference list's Chinese names, short. */
function codeParam(value: string | null): string | null {
  const v = value?.trim()
  return v && v.length <= 32 ? v : null
}

// base64url through btoa/atob and TextEncoder, which both Node and browsers have.
function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function fromBase64Url(encoded: string): string {
  const binary = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'))
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)))
}

export function encodeCursor(sort: RosterSort, dir: 'asc' | 'desc', value: string, id: string): string {
  return toBase64Url(JSON.stringify([sort, dir, value, id]))
}

/** Reads a cursor made for this sort and direction; anything else is ignored (first page). */
export function decodeCursor(raw: string | null, sort: RosterSort, dir: 'asc' | 'desc'): Omit<RosterCursor, 'direction'> | null {
  if (!raw || raw.length > 400) return null
  try {
    const parsed: unknown = JSON.parse(fromBase64Url(raw))
    if (!Array.isArray(parsed) || parsed.length !== 4) return null
    const [s, d, value, id] = parsed as unknown[]
    if (s !== sort || d !== dir || typeof value !== 'string' || value.length > 100 || !isId(id)) return null
    return { value, id }
  } catch {
    return null
  }
}

export function parseRosterQuery(url: URL): RosterQuery {
  const p = url.searchParams
  const sort = pick(p.get('sort'), ROSTER_SORTS) ?? DEFAULT_SORT
  const dir = p.get('dir') === 'desc' ? 'desc' : p.get('dir') === 'asc' ? 'asc' : sort === 'updated_at' ? 'desc' : 'asc'
  const size = Number(p.get('size'))
  const after = decodeCursor(p.get('after'), sort, dir)
  const before = after ? null : decodeCursor(p.get('before'), sort, dir)
  const region = p.get('region')?.trim() ?? ''
  return {
    q: (p.get('q') ?? '').trim().slice(0, 50),
    tier: pick(p.get('tier'), TIERS),
    status: pick(p.get('status'), STATUSES),
    region: /^\d{6,12}$/.test(region) ? region : null,
    domain: codeParam(p.get('domain')),
    specialty: codeParam(p.get('specialty')),
    term: pick(p.get('term'), TERM_FILTERS),
    mine: p.get('mine') === '1',
    sort,
    dir,
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : PAGE_SIZES[0],
    cursor: after ? { direction: 'after', ...after } : before ? { direction: 'before', ...before } : null,
  }
}

/** The search string for a page of the same list: the filters stay, the cursor changes. */
export function rosterSearch(current: URLSearchParams, changes: Record<string, string | null>): string {
  const params = new URLSearchParams(current)
  params.delete('after')
  params.delete('before')
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) params.delete(key)
    else params.set(key, value)
  }
  const s = params.toString()
  return s ? `?${s}` : '?'
}
