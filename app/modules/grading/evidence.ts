/**
 * The evidence an application rests on, frozen as JSON at submission (grading_applications.evidence).
 *
 * The snapshot holds NO identity: no name, organisation name, ID number, file name or library
 * reviewer. The applicant's identity stays in grading_applications.person_id/org_id, which
 * reviewer loaders never select, so the same snapshot can be shown to blind reviewers.
 *
 * Pure helpers (years between dates, windows of calendar years, grade holding periods) live here
 * so eligibility.ts and its tests use exactly the arithmetic the server stores.
 */

export interface SnapshotGrade {
  code: string
  name: string
  /** 1 is the highest grade of the ladder. */
  rank: number
  status: 'current' | 'superseded' | 'expired' | 'demoted' | 'revoked'
  validFrom: string
  validUntil: string
  /** When the row stopped being current (demotion, revocation, supersession), YYYY-MM-DD; null while current. */
  endedOn: string | null
}

export interface CaseStatsYear {
  year: number
  disputes: number
  successful: number
  oral: number
}

export interface EvidenceSnapshot {
  /** Bumped if the shape ever changes, so old snapshots stay readable. */
  format: 1
  /** China date the evidence was gathered (the submission day). */
  gatheredOn: string
  work: {
    /** mediators.started_on */
    startedOn: string | null
    /** Whole years from startedOn to gatheredOn; null when unknown. */
    years: number | null
  }
  /** The latest current grade, if any, and since when it is held. */
  currentGrade: { code: string; name: string; rank: number; since: string; validUntil: string } | null
  /** Every grade the mediator has held (newest first), for "holding the grade below for N years". */
  gradeHistory: SnapshotGrade[]
  caseStats: {
    /** Calendar years of the window (config.statsYears, the current year included), oldest first. */
    years: number[]
    /** Confirmed rows inside the window; unconfirmed rows never count. */
    rows: CaseStatsYear[]
    /** Years of the window with figures entered but not yet confirmed by the mediator. */
    unconfirmedYears: number[]
    totals: { disputes: number; successful: number; oral: number }
  }
  training: {
    /** Approved 学时 per calendar year. */
    hoursByYear: Record<string, number>
    preServiceDone: boolean
    completedCourses: { title: string; kind: string; completedOn: string; hours: number }[]
  }
  drills: {
    attempted: number
    completed: number
    passed: number
    drills: { slug: string; attempts: number; best: number | null; passed: boolean }[]
  }
  library: {
    accepted: { title: string; acceptedAt: string; total: number | null }[]
  }
  /** Ticked by the applicant (or their org manager) on the application form, recorded here. */
  declarations: { noCriminalConversion: boolean; noMisconduct: boolean }
  /** Extra evidence files, by neutral label only (附件1…); names stay in grading_attachments. */
  attachments: { id: string; label: number; mime: string; sizeBytes: number }[]
}

/** Whole years from `from` to `to` (both YYYY-MM-DD), never negative. */
export function wholeYears(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number]
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number]
  const years = ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0)
  return Math.max(0, years)
}

/** The last `count` calendar years ending with today's year, oldest first. */
export function yearWindow(today: string, count: number): number[] {
  const year = Number(today.slice(0, 4))
  return Array.from({ length: count }, (_, i) => year - count + 1 + i)
}

/** Sums of confirmed rows. */
export function totalsOf(rows: CaseStatsYear[]): { disputes: number; successful: number; oral: number } {
  return rows.reduce(
    (sum, r) => ({ disputes: sum.disputes + r.disputes, successful: sum.successful + r.successful, oral: sum.oral + r.oral }),
    { disputes: 0, successful: 0, oral: 0 },
  )
}

/** Training hours in tenths (integers) over the given years. */
export function trainingTenthsIn(hoursByYear: Record<string, number>, years: number[]): number {
  return years.reduce((sum, y) => sum + Math.round((hoursByYear[String(y)] ?? 0) * 10), 0)
}

function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() - 1)
  return d.toISOString().slice(0, 10)
}

/**
 * Since when the mediator has held, without a gap, a grade at least as high as `maxRank`
 * (rank ≤ maxRank), up to `today`; null when they do not hold one now. A revoked grade breaks
 * the chain (it counts as never held); an expired or demoted one counts until it ended.
 */
export function heldAtLeastSince(history: SnapshotGrade[], maxRank: number, today: string): string | null {
  const spans = history
    .filter((g) => g.rank <= maxRank && g.status !== 'revoked')
    .map((g) => {
      const end = g.status === 'current' ? today : [g.validUntil, g.endedOn ?? g.validUntil].sort()[0]!
      return { from: g.validFrom, to: end }
    })
    .filter((s) => s.from <= s.to)
  const holdingNow = spans.filter((s) => s.from <= today && s.to >= today)
  if (!holdingNow.length) return null
  let since = holdingNow.map((s) => s.from).sort()[0]!
  // Walk back through spans that touch or overlap the current chain.
  for (let changed = true; changed; ) {
    changed = false
    for (const s of spans) {
      if (s.from < since && s.to >= dayBefore(since)) {
        since = s.from
        changed = true
      }
    }
  }
  return since
}

/** The empty snapshot, for tests and for building one step by step. */
export function emptySnapshot(today: string, statsYears: number): EvidenceSnapshot {
  return {
    format: 1,
    gatheredOn: today,
    work: { startedOn: null, years: null },
    currentGrade: null,
    gradeHistory: [],
    caseStats: { years: yearWindow(today, statsYears), rows: [], unconfirmedYears: [], totals: { disputes: 0, successful: 0, oral: 0 } },
    training: { hoursByYear: {}, preServiceDone: false, completedCourses: [] },
    drills: { attempted: 0, completed: 0, passed: 0, drills: [] },
    library: { accepted: [] },
    declarations: { noCriminalConversion: false, noMisconduct: false },
    attachments: [],
  }
}

/** Reads a stored snapshot; a malformed one reads as null (the page says so rather than crashing). */
export function parseSnapshot(json: string | null | undefined): EvidenceSnapshot | null {
  if (!json) return null
  try {
    const value = JSON.parse(json) as EvidenceSnapshot
    return value && value.format === 1 ? value : null
  } catch {
    return null
  }
}
