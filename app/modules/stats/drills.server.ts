/**
 * Drill statistics for attempts submitted in the period: the score distribution (ten-point
 * bands), results per drill, and classical item analysis of one quiz (difficulty p and
 * discrimination D per item) from what each graded quiz attempt stores in `result.correct`
 * (item id → answered correctly). Scope: the attempt's region and organisation.
 */
import { sql } from 'kysely'
import { scopeCondition } from '#app/lib/list-scope.server.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import { loadDrills } from '#app/modules/drills/content.server.ts'
import { type StatsContext, num, periodBounds } from './context.server.ts'
import { SCORE_EDGES, analyseItems, bucketCounts, bucketLabel, percent, round1 } from './math.ts'
import type { StatsReport } from './model.ts'

/** Item analysis reads at most this many attempts (the latest): enough for stable indices. */
export const ITEM_ANALYSIS_MAX = 2_000

export async function drillStats(
  ctx: StatsContext,
): Promise<StatsReport & { drill: string | null; quizzes: { slug: string; title: string }[] }> {
  const { db, t } = ctx
  const { start, end } = periodBounds(ctx.filters)
  const base = () =>
    db
      .selectFrom('drill_attempts as a')
      .where(scopeCondition(ctx.scope, { region: 'a.region_code', org: 'a.org_id' }))
      .where('a.submitted_at', '>=', start)
      .where('a.submitted_at', '<', end)
      .where('a.score', 'is not', null)

  const [scores, perDrill, drills] = await Promise.all([
    base()
      .select(['a.score', (eb) => eb.fn.countAll().as('n')])
      .groupBy('a.score')
      .execute(),
    base()
      .select([
        'a.drill_slug',
        'a.kind',
        (eb) => eb.fn.countAll().as('n'),
        sql<number>`avg(a.score)`.as('mean'),
        sql<number>`sum(case when a.passed = 1 then 1 else 0 end)`.as('passed'),
        // Drafting is graded on a rubric without a pass mark: only attempts with a pass/fail count.
        sql<number>`sum(case when a.passed is not null then 1 else 0 end)`.as('judged'),
        sql<number>`count(distinct a.person_id)`.as('people'),
      ])
      .groupBy(['a.drill_slug', 'a.kind'])
      .execute(),
    loadDrills(db).catch(() => new Map()),
  ])
  const titleOf = (slug: string) => drills.get(slug)?.structure.title ?? slug
  const quizzes = perDrill
    .filter((d) => d.kind === 'quiz')
    .sort((a, b) => num(b.n) - num(a.n) || (a.drill_slug < b.drill_slug ? -1 : 1))
    .map((d) => ({ slug: d.drill_slug, title: titleOf(d.drill_slug) }))
  const chosen = ctx.filters.drill && quizzes.some((q) => q.slug === ctx.filters.drill) ? ctx.filters.drill : (quizzes[0]?.slug ?? null)

  const attempts = chosen
    ? await base()
        .select(['a.score', 'a.result'])
        .where('a.drill_slug', '=', chosen)
        .where('a.kind', '=', 'quiz')
        .orderBy('a.submitted_at', 'desc')
        .limit(ITEM_ANALYSIS_MAX)
        .execute()
    : []
  const items = analyseItems(
    attempts.flatMap((a) => {
      try {
        const result = JSON.parse(a.result ?? 'null') as { correct?: Record<string, boolean> } | null
        return result?.correct ? [{ score: num(a.score), correct: result.correct }] : []
      } catch {
        return []
      }
    }),
  )
  const quiz = chosen ? drills.get(chosen)?.structure : undefined
  const prompts = new Map<string, string>(
    quiz && quiz.kind === 'quiz' ? quiz.items.map((i: { id: string; prompt: string }) => [i.id, i.prompt]) : [],
  )
  const total = perDrill.reduce((s, d) => s + num(d.n), 0)
  const passed = perDrill.reduce((s, d) => s + num(d.passed), 0)
  const judged = perDrill.reduce((s, d) => s + num(d.judged), 0)
  const scoreSum = scores.reduce((s, r) => s + num(r.score) * num(r.n), 0)
  const buckets = bucketCounts(
    scores.map((s) => ({ value: num(s.score), count: num(s.n) })),
    SCORE_EDGES,
  )

  return {
    area: 'drills',
    drill: chosen,
    quizzes,
    figures: [
      { label: t('stats.drills.attempts'), value: total, format: 'int' },
      { label: t('stats.drills.meanScore'), value: total ? round1(scoreSum / total) : null, format: 'dec1' },
      { label: t('stats.drills.passRate'), value: percent(passed, judged), format: 'pct' },
    ],
    tables: [
      {
        id: 'scores',
        title: t('stats.drills.distribution'),
        note: t('stats.drills.distribution.note'),
        categoryHeader: t('stats.drills.band'),
        series: [{ header: t('stats.drills.attempts'), format: 'int' }],
        rows: buckets.map((b) => ({ label: bucketLabel(b, 100), values: [b.count] })),
        chart: 'bar',
      },
      {
        id: 'drills',
        title: t('stats.drills.byDrill'),
        categoryHeader: t('stats.drills.drill'),
        series: [
          { header: t('stats.drills.attempts'), format: 'int' },
          { header: t('stats.drills.people'), format: 'int' },
          { header: t('stats.drills.meanScore'), format: 'dec1' },
          { header: t('stats.drills.passRate'), format: 'pct' },
        ],
        rows: perDrill
          .sort((a, b) => num(b.n) - num(a.n) || (a.drill_slug < b.drill_slug ? -1 : 1))
          .map((d) => ({
            label: `${titleOf(d.drill_slug)}（${t(`drills.kind.${d.kind}` as MessageKey)}）`,
            values: [num(d.n), num(d.people), round1(num(d.mean)), percent(num(d.passed), num(d.judged))],
          })),
        chart: 'hbar',
        plot: [2],
      },
      {
        id: 'items',
        title: chosen ? t('stats.drills.items', { drill: titleOf(chosen) }) : t('stats.drills.itemsNone'),
        note: t('stats.drills.items.note', { max: ITEM_ANALYSIS_MAX }),
        categoryHeader: t('stats.drills.item'),
        series: [
          { header: t('stats.drills.answers'), format: 'int' },
          { header: t('stats.drills.difficulty'), format: 'dec2' },
          { header: t('stats.drills.discrimination'), format: 'dec2' },
        ],
        rows: items.map((i) => {
          const prompt = prompts.get(i.item)
          return {
            label: prompt ? `${i.item} ${[...prompt].slice(0, 24).join('')}` : i.item,
            values: [i.n, i.difficulty, i.discrimination],
          }
        }),
        chart: 'bar',
        plot: [1, 2],
      },
    ],
    notes: [],
  }
}
