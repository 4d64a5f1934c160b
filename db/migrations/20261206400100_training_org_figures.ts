import type { Kysely } from 'kysely'

/**
 * Training figures per organisation and year (docs/decisions/033-training-figures.md): what the
 * statistics page and the staff home need of a large scope (a city or a province), computed by a
 * background job instead of walking every mediator on a page visit.
 *
 * `training_figure_runs` has one row per year: the day the figures were judged on (`as_of`),
 * when they were written, and the claim that keeps two app servers from computing them at once.
 * `training_org_figures` holds the figures themselves, and `training_org_course_figures` the
 * online course funnel per organisation and course; a run replaces a year's rows of both in one
 * transaction, so a reader sees one run's figures, never a mixture. `grade_region_figures` is the
 * grade pyramid as it stands (active mediators by their region and best current grade, rank 0 for
 * the ungraded), replaced by each run of the current year.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('training_figure_runs')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('as_of', 'varchar(10)')
    .addColumn('computed_at', 'varchar(24)')
    .addColumn('duration_ms', 'integer')
    .addColumn('claimed_by', 'varchar(80)')
    .addColumn('claim_expires_at', 'varchar(24)')
    .execute()
  await db.schema
    .createTable('training_org_figures')
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('org_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('mediators', 'integer', (c) => c.notNull())
    .addColumn('has_plan', 'integer', (c) => c.notNull())
    .addColumn('behind', 'integer', (c) => c.notNull())
    .addColumn('pre_service_overdue', 'integer', (c) => c.notNull())
    .addColumn('hours_tenths', 'bigint', (c) => c.notNull())
    .addColumn('people_trained', 'integer', (c) => c.notNull())
    .addColumn('course_started', 'integer', (c) => c.notNull())
    .addColumn('module_done', 'integer', (c) => c.notNull())
    .addColumn('course_done', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('pk_training_org_figures', ['year', 'org_id'])
    .execute()
  await db.schema
    .createTable('training_org_course_figures')
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('org_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('course_slug', 'varchar(80)', (c) => c.notNull())
    .addColumn('title', 'varchar(200)')
    .addColumn('started', 'integer', (c) => c.notNull())
    .addColumn('module_done', 'integer', (c) => c.notNull())
    .addColumn('course_done', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('pk_training_org_course_figures', ['year', 'org_id', 'course_slug'])
    .execute()
  await db.schema
    .createTable('grade_region_figures')
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('grade_rank', 'integer', (c) => c.notNull())
    .addColumn('grade_name', 'varchar(40)')
    .addColumn('mediators', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('pk_grade_region_figures', ['region_code', 'grade_rank'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('grade_region_figures').execute()
  await db.schema.dropTable('training_org_course_figures').execute()
  await db.schema.dropTable('training_org_figures').execute()
  await db.schema.dropTable('training_figure_runs').execute()
}
