import { type Kysely, MysqlAdapter } from 'kysely'

/**
 * Indexes for the statistics pages and role homes (issue 9): each matches a grouped count by
 * period, status or region that the bench (bench/stats-pages.ts) showed scanning whole tables.
 */
const INDEXES: [string, string, string[]][] = [
  ['ix_training_records_status_completed', 'training_records', ['status', 'completed_on', 'person_id', 'hours_tenths']],
  ['ix_cases_registered_at', 'cases', ['registered_at']],
  ['ix_case_consultations_invited', 'case_consultations', ['invited_at', 'expert_id', 'status']],
  ['ix_case_consultations_case_status', 'case_consultations', ['case_id', 'status', 'responded_at']],
  ['ix_drill_attempts_submitted_region', 'drill_attempts', ['submitted_at', 'region_code']],
  ['ix_drill_attempts_slug_kind_submitted', 'drill_attempts', ['drill_slug', 'kind', 'submitted_at']],
  ['ix_library_submissions_submitted', 'library_submissions', ['submitted_at']],
  ['ix_mediator_grades_status_person_rank', 'mediator_grades', ['status', 'person_id', 'grade_rank']],
  ['ix_experts_status_region', 'experts', ['status', 'region_code']],
]

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, table, columns] of INDEXES) {
    await db.schema.createIndex(name).on(table).columns(columns).execute()
  }
}

// `DROP INDEX … ON table` is MySQL's syntax only; SQLite names the index alone.
export async function down(db: Kysely<any>): Promise<void> {
  const mysql = db.getExecutor().adapter instanceof MysqlAdapter
  for (const [name, table] of INDEXES) {
    const drop = db.schema.dropIndex(name)
    await (mysql ? drop.on(table) : drop).execute()
  }
}
