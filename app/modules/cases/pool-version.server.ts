/**
 * Version stamps of the cached expert pool (matching.server.ts `expertPool`), the library's
 * multi-server stamp again (app/modules/library/index.server.ts): a `settings` row per stamp,
 * rewritten with a fresh id in the same transaction as the change it announces. Every app server
 * compares the stamp it built its pool from with the stored one, so none depends on its own clock
 * or on the clock of the server that made the change (comparing `updated_at` did: a server whose
 * clock runs behind wrote instants older than the latest one, and nobody noticed its change).
 *
 * - `matching.expert_pool_version`: profiles, domains, availability, conflicts (the pool is rebuilt);
 * - `matching.expert_loads_version`: active cases, ratings, last assignment (the loads are re-read
 *   and patched into the cached pool; invitations are frequent, a rebuild is not needed).
 *
 * This file imports nothing from the experts module, so the expert writers can call it.
 */
import { sql } from 'kysely'
import type { Executor } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import { type SettingDefinition, defineSetting } from '#app/lib/settings.server.ts'
import { nowIso } from '#app/lib/time.ts'
import { upsert } from '#app/lib/upsert.server.ts'
import { z } from '#app/lib/validation.ts'

export const EXPERT_POOL_VERSION = defineSetting('matching.expert_pool_version', z.string(), 'initial')
export const EXPERT_LOADS_VERSION = defineSetting('matching.expert_loads_version', z.string(), 'initial')

/**
 * Rewrites the stamp. A plain update (the row's lock is held to the end of the caller's
 * transaction, so concurrent changes serialise on it and each one's stamp is seen); the row is
 * created race-free (an upsert) the first time.
 */
async function bump(db: Executor, definition: SettingDefinition<string>, userId: string | null): Promise<void> {
  const value = JSON.stringify(newId())
  const now = nowIso()
  const updated = await db
    .updateTable('settings')
    .set((eb) => ({ value, updated_at: now, updated_by: userId, version: eb('version', '+', 1) }))
    .where('key', '=', definition.key)
    .executeTakeFirst()
  if (Number(updated.numUpdatedRows) === 0) {
    await upsert(db, 'settings', { key: definition.key, value, version: 1, updated_at: now, updated_by: userId }, ['key'], {
      value,
      updated_at: now,
      updated_by: userId,
    })
  }
}

/** Call in the transaction that changes an expert's profile, domains, availability or conflicts. */
export function bumpExpertPoolVersion(db: Executor, userId: string | null = null): Promise<void> {
  return bump(db, EXPERT_POOL_VERSION, userId)
}

/** Call in the transaction that changes expert_loads (invitations, releases, ratings). */
export function bumpExpertLoadsVersion(db: Executor, userId: string | null = null): Promise<void> {
  return bump(db, EXPERT_LOADS_VERSION, userId)
}

export interface PoolStamp {
  /** Changes whenever the pool must be rebuilt. */
  pool: string
  /** Changes whenever loads must be re-read. */
  loads: string
}

/**
 * Both stamps in one query. The pool stamp is the stored token plus a clock-free fingerprint of
 * the expert tables (row counts and the sum of the experts' version columns, which every edit
 * raises): writes that do not go through the app's expert pages (imports, seeds, a DBA's fix)
 * are noticed too, as long as they add or remove rows or raise a version.
 */
export async function readPoolStamp(db: Executor): Promise<PoolStamp> {
  const key = sql.ref('key')
  const row = await sql<Record<string, unknown>>`select
      (select value from settings where ${key} = ${EXPERT_POOL_VERSION.key}) as pool_token,
      (select value from settings where ${key} = ${EXPERT_LOADS_VERSION.key}) as loads_token,
      (select count(*) from experts) as n_e,
      (select sum(version) from experts) as v_e,
      (select count(*) from expert_domains) as n_d,
      (select count(*) from expert_unavailability) as n_u,
      (select count(*) from expert_conflicts) as n_c,
      (select count(*) from expert_conflicts where end_date is not null) as n_ce`.execute(db)
  const { pool_token, loads_token, ...counts } = row.rows[0] ?? {}
  return {
    pool: JSON.stringify([String(pool_token ?? ''), ...Object.values(counts).map((v) => String(Number(v ?? 0)))]),
    loads: String(loads_token ?? ''),
  }
}
