/**
 * The training figures job (ADR 033) run once, as the background job would, before a bench times
 * the pages that read its figures; its own time is reported as `training-figures-refresh`
 * (background work, so no page target).
 */
import type { Executor } from '#app/lib/db.server.ts'
import { refreshOrgFigures } from '#app/modules/training/org-figures.server.ts'
import type { BenchRecord } from './report.ts'

export async function runFiguresJob(
  db: Executor,
  base: Pick<BenchRecord, 'bench' | 'dialect' | 'n'>,
  today: string,
  now?: Date,
): Promise<BenchRecord> {
  const started = performance.now()
  await refreshOrgFigures(db, Number(today.slice(0, 4)), today, 'bench', { now, minIntervalMs: 0 })
  const ms = Math.round(performance.now() - started)
  console.log(`[${base.dialect}] training figures computed in ${ms} ms`)
  const { bench, dialect, n } = base
  return {
    bench,
    dialect,
    n,
    metric: 'training-figures-refresh',
    value: ms,
    unit: 'ms',
    better: 'lower',
    runs: 1,
    at: new Date().toISOString(),
  }
}
