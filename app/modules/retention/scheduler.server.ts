/**
 * The daily purge, in every app process (started by entry.server's startBackgroundJobs). Each
 * process looks once an hour whether a run finished successfully in the last day (any server, the
 * CLI or an administrator: the audit log says) and runs one if not. Two servers that look at the
 * same moment may both run; the purge's per-case claim makes the second find nothing to do.
 */
import { getDb } from '#app/lib/db.server.ts'
import { SYSTEM_ACTOR, lastSuccessfulRunAt, purgeDueParties, systemRequest } from './purge.server.ts'
import { runIsDue } from './rules.ts'

export const CHECK_INTERVAL_MS = 60 * 60 * 1000

let running: { stop: () => void } | null = null

/** Starts the hourly check once per process; the first check comes a few minutes after start. */
export function startRetentionJob(intervalMs = CHECK_INTERVAL_MS): { stop: () => void } {
  if (running) return running
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  const schedule = (delay: number) => {
    if (stopped) return
    timer = setTimeout(tick, delay)
    timer.unref()
  }
  const tick = async () => {
    try {
      const db = getDb()
      if (runIsDue(await lastSuccessfulRunAt(db), new Date())) {
        await purgeDueParties(db, { trigger: 'schedule', actor: SYSTEM_ACTOR, request: systemRequest() })
      }
    } catch (error) {
      // The database may be restarting; the next check tries again.
      console.warn('retention job: run failed', error instanceof Error ? error.message : error)
    } finally {
      schedule(intervalMs)
    }
  }
  // Not at once: servers started together spread out, and start-up is left to requests.
  schedule(Math.min(intervalMs, 60_000 + Math.floor(Math.random() * 4 * 60_000)))
  running = {
    stop: () => {
      stopped = true
      if (timer) clearTimeout(timer)
      running = null
    },
  }
  return running
}

export function stopRetentionJob(): void {
  running?.stop()
}
