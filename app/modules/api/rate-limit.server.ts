/**
 * Per-client rate limit: a fixed one-minute window counted in the database (api_rate_windows), so
 * two or more app servers share one count. Portable without an upsert: increment the minute's row,
 * create it when missing, and on a racing create increment the row the other server made.
 */
import { sql } from 'kysely'
import type { Executor } from '#app/lib/db.server.ts'
import { isUniqueViolation } from '#app/lib/db-errors.ts'

export interface RateDecision {
  allowed: boolean
  limit: number
  remaining: number
  /** Seconds until the window resets (Retry-After when refused). */
  resetSeconds: number
}

export function windowStart(now: Date): string {
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString()
}

async function increment(db: Executor, clientId: string, window: string): Promise<boolean> {
  const result = await db
    .updateTable('api_rate_windows')
    .set({ hits: sql`hits + 1` })
    .where('client_id', '=', clientId)
    .where('window_start', '=', window)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

export async function consumeRateLimit(db: Executor, clientId: string, limit: number, now = new Date()): Promise<RateDecision> {
  const window = windowStart(now)
  if (!(await increment(db, clientId, window))) {
    try {
      await db.insertInto('api_rate_windows').values({ client_id: clientId, window_start: window, hits: 1 }).execute()
      // The first request of a minute clears the client's older windows.
      await db.deleteFrom('api_rate_windows').where('client_id', '=', clientId).where('window_start', '<', window).execute()
    } catch (error) {
      if (!isUniqueViolation(error, ['api_rate_windows', 'PRIMARY'])) throw error
      await increment(db, clientId, window)
    }
  }
  const row = await db
    .selectFrom('api_rate_windows')
    .select('hits')
    .where('client_id', '=', clientId)
    .where('window_start', '=', window)
    .executeTakeFirstOrThrow()
  const hits = Number(row.hits)
  const resetSeconds = Math.max(1, Math.ceil((Date.parse(window) + 60_000 - now.getTime()) / 1000))
  return { allowed: hits <= limit, limit, remaining: Math.max(0, limit - hits), resetSeconds }
}
