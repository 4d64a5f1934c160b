/**
 * The grade pyramid for large region scopes, from figures the training figures job keeps
 * (docs/decisions/033-training-figures.md). A whole province's pyramid joins 300,000 mediators to
 * their people and grades (about 5 s on MariaDB); the pyramid by region is a few hundred numbers,
 * so each run of the current year stores them per region and grade, and a province-wide page sums
 * those. Organisation grants and small scopes are counted live, as before.
 */
import { sql } from 'kysely'
import type { Executor } from '#app/lib/db.server.ts'
import { scopeCondition } from '#app/lib/list-scope.server.ts'
import type { ListScope } from '#app/modules/auth/policy.ts'
import { FIGURES_MAX_AGE_MS, figuresMinMediators, runAnswers } from './figures-policy.ts'

/** Active mediators in scope by their region's path and best current grade (null: ungraded), with the grades' names. */
export interface GradeCounts {
  counts: { path: string; code: string; rank: number | null; n: number }[]
  names: Map<number, string>
}

/** The pyramid counted live, for any scope (the mediator's own region, or their organisation). */
export async function liveGradeCounts(db: Executor, scope: ListScope): Promise<GradeCounts> {
  const [counts, names] = await Promise.all([
    db
      .selectFrom('mediators as m')
      .innerJoin('people as p', 'p.id', 'm.person_id')
      .innerJoin('regions as r', 'r.code', 'p.region_code')
      .leftJoin(
        (eb) =>
          eb
            .selectFrom('mediator_grades')
            .select(['person_id', sql<number>`min(grade_rank)`.as('grade_rank')])
            .where('status', '=', 'current')
            .groupBy('person_id')
            .as('g'),
        (join) => join.onRef('g.person_id', '=', 'm.person_id'),
      )
      .select(['r.path', 'r.code', 'g.grade_rank', (eb) => eb.fn.countAll().as('n')])
      .where(scopeCondition(scope, { region: 'p.region_code', org: 'm.org_id' }))
      .where('m.status', '=', 'active')
      .groupBy(['r.path', 'r.code', 'g.grade_rank'])
      .execute(),
    db
      .selectFrom('mediator_grades')
      .select(['grade_rank', sql<string>`min(grade_name)`.as('grade_name')])
      .where('status', '=', 'current')
      .groupBy('grade_rank')
      .execute(),
  ])
  return {
    counts: counts.map((c) => ({ path: c.path, code: c.code, rank: c.grade_rank === null ? null : Number(c.grade_rank), n: Number(c.n) })),
    names: new Map(names.map((n) => [Number(n.grade_rank), n.grade_name])),
  }
}

/** Replaces the stored pyramid with the whole database's, inside the figures run's transaction. */
export async function writeGradeFigures(trx: Executor, pyramid: GradeCounts): Promise<void> {
  await trx.deleteFrom('grade_region_figures').execute()
  const rows = pyramid.counts.map((c) => ({
    region_code: c.code,
    grade_rank: c.rank ?? 0,
    grade_name: c.rank === null ? null : (pyramid.names.get(c.rank) ?? null),
    mediators: c.n,
  }))
  for (let i = 0; i < rows.length; i += 500)
    await trx
      .insertInto('grade_region_figures')
      .values(rows.slice(i, i + 500))
      .execute()
}

/**
 * The stored pyramid of a region scope, or null when it should be counted live: an organisation
 * grant in the scope (the figures are kept by region only), no recent run of today's figures, or
 * fewer active mediators than the threshold.
 */
export async function readGradeFigures(
  db: Executor,
  scope: ListScope,
  today: string,
  options: { now?: number; minMediators?: number } = {},
): Promise<(GradeCounts & { computedAt: string }) | null> {
  if (scope.orgIds.length || scope.personIds.length) return null
  const run = await db
    .selectFrom('training_figure_runs')
    .select(['as_of', 'computed_at'])
    .where('year', '=', Number(today.slice(0, 4)))
    .executeTakeFirst()
  if (!runAnswers(run, today, options.now ?? Date.now(), FIGURES_MAX_AGE_MS)) return null
  const rows = await db
    .selectFrom('grade_region_figures as f')
    .innerJoin('regions as r', 'r.code', 'f.region_code')
    .select(['r.path', 'r.code', 'f.grade_rank', 'f.grade_name', 'f.mediators'])
    .where(scopeCondition(scope, { region: 'f.region_code' }))
    .execute()
  const total = rows.reduce((s, r) => s + Number(r.mediators), 0)
  if (total < (options.minMediators ?? figuresMinMediators())) return null
  const names = new Map<number, string>()
  for (const r of rows) if (r.grade_name !== null && Number(r.grade_rank) > 0) names.set(Number(r.grade_rank), r.grade_name)
  return {
    counts: rows.map((r) => ({
      path: r.path,
      code: r.code,
      rank: Number(r.grade_rank) === 0 ? null : Number(r.grade_rank),
      n: Number(r.mediators),
    })),
    names,
    computedAt: run.computed_at,
  }
}
