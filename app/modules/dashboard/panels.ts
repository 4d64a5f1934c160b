/**
 * The home dashboard's pure rules: which panels a user's roles call for, and the small sums the
 * panels show (counts per status with zeros filled in, progress percentages, date cut-offs,
 * expiry states). No I/O: home.server.ts gathers the numbers in SQL and hands them here.
 */
import type { Role } from '#db/schema.ts'

export const PANELS = ['mediator', 'staff', 'association', 'expert'] as const
export type PanelKind = (typeof PANELS)[number]

const PANEL_OF_ROLE: Partial<Record<Role, PanelKind>> = {
  mediator: 'mediator',
  bureau_staff: 'staff',
  org_manager: 'staff',
  association_admin: 'association',
  expert: 'expert',
}

/** The panels for a set of roles, each once, in a fixed order (own work before oversight). */
export function panelsFor(roles: readonly Role[]): PanelKind[] {
  const wanted = new Set(roles.map((r) => PANEL_OF_ROLE[r]).filter((p): p is PanelKind => !!p))
  return PANELS.filter((p) => wanted.has(p))
}

/** `{ status, n }` rows of a grouped count as a record over every known status (missing ones are 0). */
export function countsByStatus<S extends string>(
  statuses: readonly S[],
  rows: readonly { status: string; n: number | string | bigint }[],
): Record<S, number> {
  const out = Object.fromEntries(statuses.map((s) => [s, 0])) as Record<S, number>
  for (const r of rows) if ((statuses as readonly string[]).includes(r.status)) out[r.status as S] += Number(r.n)
  return out
}

/** Whole percent of `done` out of `total`, clamped to 0-100; null when nothing is expected. */
export function percent(done: number, total: number): number | null {
  if (total <= 0) return null
  return Math.max(0, Math.min(100, Math.floor((done * 100) / total)))
}

const DAY_MS = 86_400_000

/** A calendar date moved by whole days (negative goes back). */
export function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
}

/** Whole days from `today` to `date` (negative when it has passed). */
export function daysBetween(today: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS)
}

/**
 * The instant before which an invitation sent counts as unanswered for "more than `days` days":
 * invited earlier than `now` minus that many whole days.
 */
export function staleBefore(now: Date, days: number): string {
  return new Date(now.getTime() - days * DAY_MS).toISOString()
}

/**
 * Cases whose time limit started (acceptance, else registration) before the returned date are
 * overdue today: the due date is the start's UTC day plus `limitDays`, and a case is overdue when
 * today is after it (cases/model.ts dueDate and isOverdue). Comparing an ISO instant with a bare
 * date works because `2026-11-01T…` sorts after `2026-11-01`.
 */
export function overdueStartBefore(today: string, limitDays: number): string {
  return shiftDate(today, -limitDays)
}

export type ExpiryState = 'valid' | 'expiring' | 'expired'

/** A grade or term's state today: expired after its last day, expiring within `warnDays`. */
export function expiryState(validUntil: string, today: string, warnDays: number): ExpiryState {
  if (validUntil < today) return 'expired'
  return daysBetween(today, validUntil) <= warnDays ? 'expiring' : 'valid'
}

/** Tenths of a 学时 as hours for display (15 → 1.5). */
export function hours(tenths: number): number {
  return Math.round(tenths) / 10
}

/** The entries with the largest counts first (ties by key), at most `limit`. */
export function topCounts<K extends string>(rows: readonly { key: K; n: number }[], limit: number): { key: K; n: number }[] {
  return [...rows].sort((a, b) => b.n - a.n || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).slice(0, limit)
}
