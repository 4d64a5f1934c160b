/**
 * The half-done sign-in between the password and the second step. The browser holds a random
 * 256-bit token in its own short-lived cookie; the database holds only SHA-256 of it, the user,
 * the purpose (enter a code, or enrol because the role requires it) and where to go afterwards.
 * It is not a session: no page but the second step reads it, and the session is created only
 * when the second step succeeds.
 */
import { createCookie, type Cookie } from '@remix-run/node'
import { encodeBase64urlNoPadding } from '@oslojs/encoding'
import type { TwoFactorPendingPurpose } from '#db/schema.ts'
import type { Executor } from '#app/lib/db.server.ts'
import { getEnv } from '#app/lib/env.server.ts'
import { hashSessionToken } from './session-adapter.server.ts'
import { TWO_FACTOR } from './two-factor-policy.ts'

let cookie: Cookie | undefined
let builtFor: ReturnType<typeof getEnv> | undefined
function pendingCookie(): Cookie {
  const env = getEnv()
  if (!cookie || builtFor !== env) {
    const production = env.NODE_ENV === 'production'
    cookie = createCookie(production ? '__Host-tiaojie_2fa' : 'tiaojie_2fa', {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: production,
      maxAge: TWO_FACTOR.enrolMinutes * 60,
      secrets: [env.SESSION_SECRET],
    })
    builtFor = env
  }
  return cookie
}

export interface PendingSignIn {
  id: string
  userId: string
  username: string
  purpose: TwoFactorPendingPurpose
  redirectTo: string
  attempts: number
}

/** Starts a pending sign-in and returns the Set-Cookie value that carries its token. */
export async function createPendingSignIn(
  db: Executor,
  userId: string,
  purpose: TwoFactorPendingPurpose,
  redirectTo: string,
  now = Date.now(),
): Promise<string> {
  const token = encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(32)))
  const minutes = purpose === 'verify' ? TWO_FACTOR.verifyMinutes : TWO_FACTOR.enrolMinutes
  // One half-done sign-in per user: a new password step replaces the old one (and its attempts
  // count against the account's throttle, not this row, so nothing is gained by starting over).
  await db.deleteFrom('two_factor_pending').where('user_id', '=', userId).execute()
  // Abandoned half-done sign-ins of anyone are swept here: the table stays a few rows long.
  await deleteExpiredPendingSignIns(db, now)
  await db
    .insertInto('two_factor_pending')
    .values({
      id: hashSessionToken(token),
      user_id: userId,
      purpose,
      redirect_to: redirectTo,
      attempts: 0,
      created_at: new Date(now).toISOString(),
      expires_at: new Date(now + minutes * 60_000).toISOString(),
    })
    .execute()
  return pendingCookie().serialize(token, { maxAge: minutes * 60 })
}

/** The request's pending sign-in when it exists, has not expired and its account is active. */
export async function readPendingSignIn(db: Executor, request: Request, now = Date.now()): Promise<PendingSignIn | null> {
  const header = request.headers.get('Cookie')
  if (!header?.includes('tiaojie_2fa=')) return null
  const token = (await pendingCookie().parse(header)) as unknown
  if (typeof token !== 'string' || token.length > 100) return null
  const row = await db
    .selectFrom('two_factor_pending as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['p.id', 'p.user_id', 'p.purpose', 'p.redirect_to', 'p.attempts', 'p.expires_at', 'u.username', 'u.status'])
    .where('p.id', '=', hashSessionToken(token))
    .executeTakeFirst()
  if (!row || row.status !== 'active' || Date.parse(row.expires_at) <= now) return null
  return {
    id: row.id,
    userId: row.user_id,
    username: row.username,
    purpose: row.purpose,
    redirectTo: row.redirect_to,
    attempts: row.attempts,
  }
}

/** Counts a wrong code; true when the pending sign-in has used up its attempts (and is gone). */
export async function countWrongCode(db: Executor, pending: PendingSignIn): Promise<boolean> {
  if (pending.attempts + 1 >= TWO_FACTOR.attemptsPerPending) {
    await db.deleteFrom('two_factor_pending').where('id', '=', pending.id).execute()
    return true
  }
  await db
    .updateTable('two_factor_pending')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', pending.id)
    .execute()
  return false
}

/** Ends a pending sign-in; true when this call removed it (so two racing completions make one session). */
export async function endPendingSignIn(db: Executor, id: string): Promise<boolean> {
  const result = await db.deleteFrom('two_factor_pending').where('id', '=', id).executeTakeFirst()
  return Number(result.numDeletedRows) === 1
}

export async function clearPendingCookie(): Promise<string> {
  return pendingCookie().serialize('', { maxAge: 0 })
}

async function deleteExpiredPendingSignIns(db: Executor, now: number): Promise<void> {
  await db.deleteFrom('two_factor_pending').where('expires_at', '<=', new Date(now).toISOString()).execute()
}
