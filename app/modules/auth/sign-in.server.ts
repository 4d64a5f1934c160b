/**
 * Sign-in: throttle first (no hashing for throttled attempts), then the password check, with
 * the same answer and similar timing for unknown accounts and wrong passwords.
 */
import { audit, ANONYMOUS } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { clientAddress } from '#app/lib/request.server.ts'
import { actorFromGrants, loadGrants } from './authz.server.ts'
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from './password.server.ts'
import { startSession } from './session.server.ts'
import { checkThrottle, clearFailures, recordFailure } from './throttle.server.ts'

export type SignInResult =
  | { ok: true; setCookie: string; userId: string }
  | { ok: false; error: 'auth.signIn.failed' }
  | { ok: false; error: 'auth.signIn.throttled'; minutes: number }
  | { ok: false; error: 'auth.signIn.addressThrottled' }

export function normaliseUsername(value: string): string {
  return value.trim().toLowerCase()
}

export async function signIn(request: Request, rawUsername: string, password: string): Promise<SignInResult> {
  const db = getDb()
  const username = normaliseUsername(rawUsername).slice(0, 64)
  const actor = { ...ANONYMOUS, username }

  const verdict = await checkThrottle(db, username, clientAddress(request))
  if (!verdict.ok) {
    await audit(db, request, actor, { action: 'auth.sign_in', result: 'denied', detail: { reason: `throttled:${verdict.reason}` } })
    return verdict.reason === 'account'
      ? { ok: false, error: 'auth.signIn.throttled', minutes: verdict.minutes }
      : { ok: false, error: 'auth.signIn.addressThrottled' }
  }

  const user = await db.selectFrom('users').select(['id', 'password_hash', 'status']).where('username', '=', username).executeTakeFirst()

  let passwordOk = false
  if (user?.password_hash) passwordOk = await verifyPassword(user.password_hash, password)
  else await verifyAgainstDummy(password)
  if (!user || !passwordOk || user.status !== 'active') {
    await recordFailure(db, username)
    await audit(
      db,
      request,
      { ...actor, userId: user?.id ?? null },
      {
        action: 'auth.sign_in',
        result: 'failed',
        detail: { reason: !user ? 'unknown_account' : !passwordOk ? 'wrong_password' : 'disabled' },
      },
    )
    return { ok: false, error: 'auth.signIn.failed' }
  }

  await clearFailures(db, username)
  const now = new Date().toISOString()
  const rehash = user.password_hash && needsRehash(user.password_hash) ? await hashPassword(password) : null
  await db
    .updateTable('users')
    .set({ last_sign_in_at: now, ...(rehash ? { password_hash: rehash } : {}) })
    .where('id', '=', user.id)
    .execute()
  const setCookie = await startSession(request, user.id)
  await audit(db, request, actorFromGrants(user.id, username, await loadGrants(user.id)), {
    action: 'auth.sign_in',
    recordType: 'user',
    recordId: user.id,
  })
  return { ok: true, setCookie, userId: user.id }
}
