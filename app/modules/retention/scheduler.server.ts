/**
 * The daily purge, in every app process (started by entry.server's startBackgroundJobs). Each
 * process looks once an hour whether a run finished successfully in the last day (any server, the
 * CLI or an administrator: the audit log says) and runs one if not. Two servers that look at the
 * same moment may both run; the purge's per-case claim makes the second find nothing to do.
 */
import { type BackgroundLoop, startLoop } from '#app/lib/background-loop.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { SYSTEM_ACTOR, lastSuccessfulRunAt, purgeDueParties, systemRequest } from './purge.server.ts'
import { runIsDue } from './rules.ts'

export const CHECK_INTERVAL_MS = 60 * 60 * 1000

let running: BackgroundLoop | null = null

/** Starts the hourly check once per process; the first check comes a few minutes after start. */
export function startRetentionJob(intervalMs = CHECK_INTERVAL_MS): { stop: () => void } {
  if (running) return running
  running = startLoop(
    'retention job',
    intervalMs,
    async () => {
      const db = getDb()
      if (runIsDue(await lastSuccessfulRunAt(db), new Date())) {
        await purgeDueParties(db, { trigger: 'schedule', actor: SYSTEM_ACTOR, request: systemRequest() })
      }
    },
    // Not at once: servers started together spread out, and start-up is left to requests.
    { firstDelayMs: Math.min(intervalMs, 60_000 + Math.floor(Math.random() * 4 * 60_000)) },
  )
  return running
}

export function stopRetentionJob(): void {
  running?.stop()
  running = null
}
