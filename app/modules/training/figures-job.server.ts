/**
 * Keeps the per-organisation training figures current (org-figures.server.ts, ADR 033), in every
 * app process (started by entry.server's startBackgroundJobs). Each process looks every couple of
 * minutes; the year's claim lets one of them recompute when the figures are older than
 * FIGURES_INTERVAL_MS or were judged on an earlier day. Last year's figures are recomputed daily:
 * late approvals still arrive in the new year.
 */
import { type BackgroundLoop, startLoop, workerIdentity } from '#app/lib/background-loop.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { todayInChina } from '#app/lib/time.ts'
import { FIGURES_INTERVAL_MS, PAST_YEAR_INTERVAL_MS } from '#app/modules/stats/figures-policy.ts'
import { refreshOrgFigures } from './org-figures.server.ts'

const CHECK_INTERVAL_MS = 2 * 60_000

let running: BackgroundLoop | null = null

export function startTrainingFiguresJob(intervalMs = CHECK_INTERVAL_MS): { stop: () => void } {
  if (running) return running
  const worker = workerIdentity()
  running = startLoop(
    'training figures',
    intervalMs,
    async (loop) => {
      const db = getDb()
      const today = todayInChina()
      const year = Number(today.slice(0, 4))
      const stopped = () => loop.stopped
      await refreshOrgFigures(db, year, today, worker, { minIntervalMs: FIGURES_INTERVAL_MS, stopped })
      if (!loop.stopped) await refreshOrgFigures(db, year - 1, today, worker, { minIntervalMs: PAST_YEAR_INTERVAL_MS, stopped })
    },
    // Not at once: start-up is left to requests, and servers started together spread out.
    { firstDelayMs: Math.min(intervalMs, 30_000 + Math.floor(Math.random() * 60_000)) },
  )
  return running
}

export function stopTrainingFiguresJob(): void {
  running?.stop()
  running = null
}
