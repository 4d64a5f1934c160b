/**
 * A grading round's lifecycle as pure data: which status may follow which, and the 公示 dates in
 * working days (Monday–Friday; public holidays are not modelled, the admin may pick the start).
 *
 * draft → open → eligibility → scoring → notice → resolved → finalised; cancelled from any status
 * but finalised (and cancelled itself).
 */
import type { GradingRoundStatus } from '#db/schema.ts'

export const ROUND_STATUSES: GradingRoundStatus[] = [
  'draft',
  'open',
  'eligibility',
  'scoring',
  'notice',
  'resolved',
  'finalised',
  'cancelled',
]

const NEXT: Record<GradingRoundStatus, GradingRoundStatus | null> = {
  draft: 'open',
  open: 'eligibility',
  eligibility: 'scoring',
  scoring: 'notice',
  notice: 'resolved',
  resolved: 'finalised',
  finalised: null,
  cancelled: null,
}

export function nextStatus(status: GradingRoundStatus): GradingRoundStatus | null {
  return NEXT[status]
}

/** The statuses a round may move to from `status`, in the order the page offers them. */
export function allowedTransitions(status: GradingRoundStatus): GradingRoundStatus[] {
  const next = NEXT[status]
  const cancellable = status !== 'finalised' && status !== 'cancelled'
  return [...(next ? [next] : []), ...(cancellable ? (['cancelled'] as const) : [])]
}

export function canTransition(from: GradingRoundStatus, to: GradingRoundStatus): boolean {
  return allowedTransitions(from).includes(to)
}

export function isRoundStatus(value: string): value is GradingRoundStatus {
  return (ROUND_STATUSES as string[]).includes(value)
}

function parse(date: string): Date {
  return new Date(`${date}T00:00:00Z`)
}

function format(d: Date): string {
  return d.toISOString().slice(0, 10)
}

export function isWorkingDay(date: string): boolean {
  const day = parse(date).getUTCDay()
  return day !== 0 && day !== 6
}

export function addDays(date: string, days: number): string {
  const d = parse(date)
  d.setUTCDate(d.getUTCDate() + days)
  return format(d)
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(date: string): string {
  let d = addDays(date, 1)
  while (!isWorkingDay(d)) d = addDays(d, 1)
  return d
}

/**
 * The last day of a notice of `workingDays` working days starting on `start` (counted as day one
 * when it is a working day; a weekend start begins on the Monday after).
 */
export function noticeEndDate(start: string, workingDays: number): string {
  let d = start
  while (!isWorkingDay(d)) d = addDays(d, 1)
  let counted = 1
  while (counted < workingDays) {
    d = addDays(d, 1)
    if (isWorkingDay(d)) counted++
  }
  return d
}

/** Applications are accepted while the round is open and today lies in the window (both ends included). */
export function windowState(
  round: { applications_open_on: string; applications_close_on: string },
  today: string,
): 'before' | 'within' | 'after' {
  if (today < round.applications_open_on) return 'before'
  if (today > round.applications_close_on) return 'after'
  return 'within'
}
