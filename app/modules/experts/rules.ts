/**
 * Rules of the expert pool as pure functions: status changes, terms and renewals, the age limit,
 * availability for matching, and the facts the matching issue reads (eligibilityFacts). Dates are
 * `YYYY-MM-DD` strings (compare as text); "today" is always passed in, never read from a clock.
 */
import { ageOn } from '#app/lib/time.ts'
import type { ExpertStatus, ExpertTier } from '#db/schema.ts'
import type { DomainRole } from './model.ts'

// ---------------------------------------------------------------------------------------------
// Status

/** Which status changes are allowed. Removal (除名) is final: a removed expert is re-admitted anew. */
export const STATUS_TRANSITIONS: Record<ExpertStatus, readonly ExpertStatus[]> = {
  active: ['suspended', 'retired', 'removed'],
  suspended: ['active', 'retired', 'removed'],
  retired: ['active', 'removed'],
  removed: [],
}

export function canChangeStatus(from: ExpertStatus, to: ExpertStatus): boolean {
  return STATUS_TRANSITIONS[from].includes(to)
}

// ---------------------------------------------------------------------------------------------
// Dates

const DAY_MS = 86_400_000

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
}

/** Same day `years` later; 29 February becomes 28 February in a common year. */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const target = new Date(Date.UTC(y + years, m - 1, d))
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0)
  return target.toISOString().slice(0, 10)
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS)
}

// ---------------------------------------------------------------------------------------------
// Terms

export type TermState = 'notStarted' | 'current' | 'expiring' | 'expired'

export interface Term {
  term_start: string
  term_end: string
}

/** Where today falls in the term; `expiring` when the term ends within `windowDays` (inclusive). */
export function termState(term: Term, today: string, windowDays: number): TermState {
  if (today < term.term_start) return 'notStarted'
  if (today > term.term_end) return 'expired'
  return term.term_end <= addDays(today, windowDays) ? 'expiring' : 'current'
}

/** A term of `years` years from `start`: the end is the day before the anniversary. */
export function termEndFor(start: string, years: number): string {
  return addDays(addYears(start, years), -1)
}

/** The renewal the form proposes: from the day after the current term (or today, once it has lapsed). */
export function proposedRenewal(term: Term, today: string, years: number): { start: string; end: string } {
  const start = term.term_end >= today ? addDays(term.term_end, 1) : today
  return { start, end: termEndFor(start, years) }
}

export type RenewalProblem = 'experts.renew.removed' | 'experts.renew.overlaps' | 'experts.term.endBeforeStart'

/** Why a renewal cannot be recorded, as a message key, or null. Terms never overlap. */
export function renewalProblem(status: ExpertStatus, term: Term, start: string, end: string): RenewalProblem | null {
  if (status === 'removed') return 'experts.renew.removed'
  if (end <= start) return 'experts.term.endBeforeStart'
  if (start <= term.term_end) return 'experts.renew.overlaps'
  return null
}

/**
 * The age limit (default 70, configurable) warns, it does not forbid: the appointing body may
 * knowingly keep an older expert. Returns the age the expert reaches by the end of the term when
 * that is at or above the limit.
 */
export function ageLimitWarning(birthDate: string | null, termEnd: string, ageLimit: number): { age: number; limit: number } | null {
  if (!birthDate) return null
  const age = ageOn(birthDate, termEnd)
  return age >= ageLimit ? { age, limit: ageLimit } : null
}

// ---------------------------------------------------------------------------------------------
// Availability for matching

export interface Period {
  start_date: string
  end_date: string
}

export function covers(period: Period, day: string): boolean {
  return period.start_date <= day && day <= period.end_date
}

export interface AvailabilityInput extends Term {
  status: ExpertStatus
  max_concurrent_cases: number
  unavailable?: readonly Period[]
  /** Cases the expert is working on now (the matching issue counts them); 0 when unknown. */
  activeCases?: number
}

export type UnavailableReason = 'status' | 'termNotStarted' | 'termExpired' | 'away' | 'atCapacity'

/** Every reason the expert cannot be matched on `today`; empty when they can. */
export function unavailableReasons(expert: AvailabilityInput, today: string): UnavailableReason[] {
  const reasons: UnavailableReason[] = []
  if (expert.status !== 'active') reasons.push('status')
  if (today < expert.term_start) reasons.push('termNotStarted')
  // An expired term makes the expert unavailable at once, whether or not anyone changed the status.
  if (today > expert.term_end) reasons.push('termExpired')
  if (expert.unavailable?.some((p) => covers(p, today))) reasons.push('away')
  if ((expert.activeCases ?? 0) >= expert.max_concurrent_cases) reasons.push('atCapacity')
  return reasons
}

export function isAvailableForMatching(expert: AvailabilityInput, today: string): boolean {
  return unavailableReasons(expert, today).length === 0
}

// ---------------------------------------------------------------------------------------------
// Facts for matching (回避 and eligibility)

export interface ConflictInput {
  kind: 'organisation' | 'person'
  name: string
  org_id: string | null
  id_number_hash: string | null
  start_date: string | null
  end_date: string | null
}

export interface ConflictFact {
  kind: 'organisation' | 'person'
  name: string
  orgId: string | null
  idNumberHash: string | null
  /** The employer is a conflict without anyone declaring it. */
  source: 'employer' | 'declared'
}

export function conflictInForce(conflict: Pick<ConflictInput, 'start_date' | 'end_date'>, today: string): boolean {
  return (!conflict.start_date || conflict.start_date <= today) && (!conflict.end_date || today <= conflict.end_date)
}

export interface EligibilityInput extends AvailabilityInput {
  person_id: string
  tier: ExpertTier
  region_code: string | null
  employer: string
  employer_org_id: string | null
  domains: readonly { dispute_type_code: string; role: DomainRole }[]
  conflicts?: readonly ConflictInput[]
}

export interface EligibilityFacts {
  expertId: string
  tier: ExpertTier
  regionCode: string | null
  available: boolean
  reasons: UnavailableReason[]
  /** Cases the expert can still take. */
  capacityLeft: number
  domains: Record<DomainRole, string[]>
  conflicts: ConflictFact[]
}

/** What matching needs to know about one expert on one day. */
export function eligibilityFacts(expert: EligibilityInput, today: string): EligibilityFacts {
  const reasons = unavailableReasons(expert, today)
  const domains: Record<DomainRole, string[]> = { primary: [], secondary: [], specialty: [] }
  for (const d of expert.domains) domains[d.role].push(d.dispute_type_code)
  const conflicts: ConflictFact[] = [
    { kind: 'organisation', name: expert.employer, orgId: expert.employer_org_id, idNumberHash: null, source: 'employer' },
    ...(expert.conflicts ?? [])
      .filter((c) => conflictInForce(c, today))
      .map((c): ConflictFact => ({ kind: c.kind, name: c.name, orgId: c.org_id, idNumberHash: c.id_number_hash, source: 'declared' })),
  ]
  return {
    expertId: expert.person_id,
    tier: expert.tier,
    regionCode: expert.region_code,
    available: reasons.length === 0,
    reasons,
    capacityLeft: Math.max(0, expert.max_concurrent_cases - (expert.activeCases ?? 0)),
    domains,
    conflicts,
  }
}
