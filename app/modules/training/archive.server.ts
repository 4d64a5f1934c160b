/**
 * The training archive (培训档案) of one mediator, and the evidence the grading issue reads.
 */
import { sql } from 'kysely'
import type { Executor } from '#app/lib/db.server.ts'
import { completedDrills } from '#app/modules/drills/attempts.server.ts'
import { loadDrills } from '#app/modules/drills/content.server.ts'
import type { TrainingFormat, TrainingKind, TrainingSource } from '#db/schema.ts'
import { type ArchiveDrill, archiveDrills, yearsWithDrills } from './drill-hours.ts'
import { fromTenths, type HoursRecord, hoursByYear, preServiceDone } from './rules.ts'

export interface ArchiveRecord {
  id: string
  source: TrainingSource
  courseSlug: string | null
  title: string
  kind: TrainingKind
  format: TrainingFormat
  organiser: string | null
  hours: number
  year: number
  completedOn: string
  assessment: string | null
  status: 'approved' | 'pending' | 'rejected'
  certificateNumber: string | null
  certificateStatus: 'valid' | 'revoked' | null
}

export async function listArchive(db: Executor, personId: string): Promise<ArchiveRecord[]> {
  const rows = await db
    .selectFrom('training_records as r')
    .leftJoin('training_certificates as c', 'c.record_id', 'r.id')
    .select([
      'r.id',
      'r.source',
      'r.course_slug',
      'r.title',
      'r.kind',
      'r.format',
      'r.organiser',
      'r.hours_tenths',
      'r.year',
      'r.completed_on',
      'r.assessment',
      'r.status',
      'c.number as certificate_number',
      'c.status as certificate_status',
    ])
    .where('r.person_id', '=', personId)
    .orderBy('r.completed_on', 'desc')
    .orderBy('r.id', 'desc')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    source: r.source,
    courseSlug: r.course_slug,
    title: r.title,
    kind: r.kind,
    format: r.format,
    organiser: r.organiser,
    hours: fromTenths(r.hours_tenths),
    year: r.year,
    completedOn: r.completed_on,
    assessment: r.assessment,
    status: r.status,
    certificateNumber: r.certificate_number ?? null,
    certificateStatus: r.certificate_status ?? null,
  }))
}

/** Approved hours per year, summed in SQL. */
export async function hoursPerYear(db: Executor, personId: string): Promise<{ year: number; hours: number }[]> {
  const rows = await db
    .selectFrom('training_records')
    .select(['year', sql<number>`sum(hours_tenths)`.as('tenths')])
    .where('person_id', '=', personId)
    .where('status', '=', 'approved')
    .groupBy('year')
    .orderBy('year', 'desc')
    .execute()
  return rows.map((r) => ({ year: Number(r.year), hours: fromTenths(Number(r.tenths)) }))
}

/**
 * The archive's drills and yearly hours: approved training records plus the credited hours of
 * completed drills (drills write no training records, so each drill's hours count here once).
 */
export async function archiveWithDrills(
  db: Executor,
  personId: string,
): Promise<{ drills: ArchiveDrill[]; years: { year: number; hours: number }[] }> {
  const [years, done] = await Promise.all([hoursPerYear(db, personId), loadDrills(db).then((all) => completedDrills(db, personId, all))])
  const drills = archiveDrills(done)
  return { drills, years: yearsWithDrills(years, drills) }
}

export interface TrainingEvidence {
  /** Approved 学时 per calendar year. */
  hoursByYear: Record<number, number>
  completedCourses: { slug: string; title: string; kind: TrainingKind; completedOn: string; hours: number }[]
  /** An approved pre-service (岗前/初任) record exists, online or offline. */
  preServiceDone: boolean
}

/** What grade evaluation (等级评定) reads from the training archive. */
export async function trainingEvidence(db: Executor, personId: string): Promise<TrainingEvidence> {
  const rows = await db
    .selectFrom('training_records')
    .select(['source', 'course_slug', 'title', 'kind', 'hours_tenths', 'year', 'completed_on', 'status'])
    .where('person_id', '=', personId)
    .orderBy('completed_on')
    .execute()
  const records: HoursRecord[] = rows.map((r) => ({ year: r.year, hoursTenths: r.hours_tenths, kind: r.kind, status: r.status }))
  return {
    hoursByYear: hoursByYear(records),
    completedCourses: rows
      .filter((r) => r.source === 'online' && r.status === 'approved' && r.course_slug)
      .map((r) => ({ slug: r.course_slug!, title: r.title, kind: r.kind, completedOn: r.completed_on, hours: fromTenths(r.hours_tenths) })),
    preServiceDone: preServiceDone(records),
  }
}
