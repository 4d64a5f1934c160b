/**
 * Which closed cases have outlived the retention of their parties' personal data (security
 * checklist 28; PIPL 第十九条 and 第四十七条, docs/decisions/028-party-data-retention.md), and
 * what a removed party is called afterwards. Pure: the purge (purge.server.ts) turns the same
 * criteria into SQL and checks every candidate with `isDue` before claiming it.
 */
import type { CaseStatus } from '#db/schema.ts'

/** A case is closed once it reaches 结案 or 归档; nothing moves it back (cases/model.ts NEXT_STATUSES). */
export const CLOSED_STATUSES = ['closed', 'archived'] as const satisfies readonly CaseStatus[]

/** The shortest retention the setting accepts, so a typo cannot wipe the parties of live work. */
export const MIN_RETENTION_MONTHS = 6
export const MAX_RETENTION_MONTHS = 600
/**
 * Three years: the general limitation period for bringing a civil claim (民法典 第一百八十八条),
 * within which a party may sue over the agreement (人民调解法 第三十二条) and the committee may
 * need to say who the parties were. The ADR explains the choice.
 */
export const DEFAULT_RETENTION_MONTHS = 36

export interface RetentionCandidate {
  status: CaseStatus
  closed_at: string | null
  archived_at: string | null
  parties_purged_at: string | null
}

/**
 * The instant `months` calendar months before `now` (UTC), the day clamped to the end of a
 * shorter month: 31 August minus 6 months is 28 (or 29) February, not 3 March.
 */
export function retentionCutoff(now: Date, months: number): string {
  const year = now.getUTCFullYear()
  const month = now.getUTCMonth() - months
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
  const day = Math.min(now.getUTCDate(), lastDay)
  return new Date(
    Date.UTC(year, month, day, now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds(), now.getUTCMilliseconds()),
  ).toISOString()
}

/**
 * When the retention started: the closing (结案), or the archiving for a case that has no closing
 * time (cases imported as archived). Null when neither is known: such a case is never due, since
 * nobody can say how long it has been kept.
 */
export function retentionStart(c: Pick<RetentionCandidate, 'closed_at' | 'archived_at'>): string | null {
  return c.closed_at ?? c.archived_at
}

/** Due when closed, not yet purged, and closed at or before the cutoff (the period has fully run). */
export function isDue(c: RetentionCandidate, cutoff: string): boolean {
  if (c.parties_purged_at !== null) return false
  if (!(CLOSED_STATUSES as readonly CaseStatus[]).includes(c.status)) return false
  const start = retentionStart(c)
  return start !== null && start <= cutoff
}

/**
 * The neutral name a person party gets (当事人1, 当事人2…), numbered by the party's place in the
 * case's list so the remaining organisations keep their positions. Stored in Chinese, the language
 * of the records; the case page explains the removal in the reader's language.
 */
export function partyLabel(position: number): string {
  return `当事人${position}`
}

export interface PartyInList {
  id: string
  case_id: string
  kind: 'person' | 'organisation'
}

/**
 * The new name of every person party among `parties`, by party id. `parties` holds whole cases'
 * lists, each case's parties together and in their display order (sort, then id): a party's
 * position counts the organisations before it too.
 */
export function personLabels(parties: readonly PartyInList[]): Map<string, string> {
  const labels = new Map<string, string>()
  let caseId: string | null = null
  let position = 0
  for (const party of parties) {
    position = party.case_id === caseId ? position + 1 : 1
    caseId = party.case_id
    if (party.kind === 'person') labels.set(party.id, partyLabel(position))
  }
  return labels
}

/** A little under a day, so the daily run does not creep later by an hour each day. */
export const RUN_EVERY_MS = 23 * 60 * 60 * 1000

/** Whether the daily run is due, given when the last successful one finished (null: never). */
export function runIsDue(lastRunAt: string | null, now: Date): boolean {
  if (!lastRunAt) return true
  const last = Date.parse(lastRunAt)
  return !Number.isFinite(last) || now.getTime() - last >= RUN_EVERY_MS
}
