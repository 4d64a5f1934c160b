/**
 * Gathers an applicant's evidence from Tiaojie's own records into an EvidenceSnapshot (see
 * evidence.ts for why it carries no identity). Called at submission, inside the submitting
 * transaction, so what the applicant saw is what is stored.
 */
import type { Executor } from '#app/lib/db.server.ts'
import { drillEvidence } from '#app/modules/drills/attempts.server.ts'
import { libraryEvidence } from '#app/modules/library/submissions.server.ts'
import { trainingEvidence } from '#app/modules/training/archive.server.ts'
import type { GradingConfig } from './config.ts'
import { type EvidenceSnapshot, type SnapshotGrade, totalsOf, wholeYears, yearWindow } from './evidence.ts'

export interface EvidenceExtras {
  declarations?: { noCriminalConversion: boolean; noMisconduct: boolean }
  /** Attachments to include; by default the person's attachments not yet tied to an application. */
  attachmentIds?: string[]
}

export async function gradeHistoryOf(db: Executor, personId: string): Promise<SnapshotGrade[]> {
  const rows = await db
    .selectFrom('mediator_grades')
    .select(['grade_code', 'grade_name', 'grade_rank', 'status', 'valid_from', 'valid_until', 'changed_at', 'created_at'])
    .where('person_id', '=', personId)
    .orderBy('valid_from', 'desc')
    .orderBy('created_at', 'desc')
    .execute()
  return rows.map((r) => ({
    code: r.grade_code,
    name: r.grade_name,
    rank: Number(r.grade_rank),
    status: r.status,
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    endedOn: r.status === 'current' ? null : (r.changed_at?.slice(0, 10) ?? null),
  }))
}

export async function caseStatsOf(db: Executor, personId: string, years: number[]) {
  if (!years.length) return []
  return db
    .selectFrom('mediator_case_stats')
    .select(['year', 'disputes_mediated', 'successful', 'oral_agreements', 'confirmed_at'])
    .where('person_id', '=', personId)
    .where('year', 'in', years)
    .orderBy('year')
    .execute()
}

export async function gatherEvidence(
  db: Executor,
  personId: string,
  config: GradingConfig,
  today: string,
  extras: EvidenceExtras = {},
): Promise<EvidenceSnapshot> {
  const years = yearWindow(today, config.statsYears)
  const [mediator, history, stats, training, drills, library, attachments] = await Promise.all([
    db.selectFrom('mediators').select('started_on').where('person_id', '=', personId).executeTakeFirst(),
    gradeHistoryOf(db, personId),
    caseStatsOf(db, personId, years),
    trainingEvidence(db, personId),
    drillEvidence(db, personId),
    libraryEvidence(db, personId),
    (() => {
      let q = db
        .selectFrom('grading_attachments')
        .select(['id', 'mime', 'size_bytes'])
        .where('person_id', '=', personId)
        .orderBy('created_at')
        .orderBy('id')
      q = extras.attachmentIds
        ? q.where('id', 'in', extras.attachmentIds.length ? extras.attachmentIds : [''])
        : q.where('application_id', 'is', null)
      return q.execute()
    })(),
  ])
  const startedOn = mediator?.started_on ?? null
  const current = history.find((g) => g.status === 'current') ?? null
  const confirmed = stats
    .filter((r) => r.confirmed_at)
    .map((r) => ({
      year: Number(r.year),
      disputes: Number(r.disputes_mediated),
      successful: Number(r.successful),
      oral: Number(r.oral_agreements),
    }))
  return {
    format: 1,
    gatheredOn: today,
    work: { startedOn, years: startedOn ? wholeYears(startedOn, today) : null },
    currentGrade: current
      ? { code: current.code, name: current.name, rank: current.rank, since: current.validFrom, validUntil: current.validUntil }
      : null,
    gradeHistory: history,
    caseStats: {
      years,
      rows: confirmed,
      unconfirmedYears: stats.filter((r) => !r.confirmed_at).map((r) => Number(r.year)),
      totals: totalsOf(confirmed),
    },
    training: {
      hoursByYear: Object.fromEntries(Object.entries(training.hoursByYear).map(([y, h]) => [String(y), h])),
      preServiceDone: training.preServiceDone,
      completedCourses: training.completedCourses.map((c) => ({
        title: c.title,
        kind: c.kind,
        completedOn: c.completedOn,
        hours: c.hours,
      })),
    },
    drills: {
      attempted: drills.attempted,
      completed: drills.completed,
      passed: drills.passed,
      drills: drills.drills.map((d) => ({ slug: d.slug, attempts: d.attempts, best: d.best, passed: d.passed })),
    },
    // The library reviewer's name is left out: reviewers of this round must not learn who reviewed whom.
    library: { accepted: library.map((c) => ({ title: c.title, acceptedAt: c.acceptedAt, total: c.total })) },
    declarations: extras.declarations ?? { noCriminalConversion: false, noMisconduct: false },
    attachments: attachments.map((a, i) => ({ id: a.id, label: i + 1, mime: a.mime, sizeBytes: Number(a.size_bytes) })),
  }
}
