/**
 * Re-authentication (security checklist 6): before changing the password or the second factor, or
 * regenerating recovery codes, the user proves again who they are: the password, and a code when
 * a second factor is enrolled. The proof is kept on the session (`reauthenticated_at`) for
 * twoFactor.reauthMinutes; signing in counts as a proof. Attempts are throttled like sign-ins,
 * so a stolen session cannot be used to guess the password or the code.
 */
import { audit } from '#app/lib/audit.server.ts'
import type { Executor } from '#app/lib/db.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { messageRef } from '#app/lib/i18n.ts'
import { type AuthUser, actorOf } from './authz.server.ts'
import { verifyPassword } from './password.server.ts'
import { checkThrottle, clearFailures, recordFailure } from './throttle.server.ts'
import { isRecent } from './two-factor-policy.ts'
import { readTwoFactorSettings } from './two-factor-settings.server.ts'
import { checkTypedCode, hasSecondFactor } from './two-factor.server.ts'

export async function isRecentlyAuthenticated(db: Executor, user: AuthUser, now = Date.now()): Promise<boolean> {
  const [session, settings] = await Promise.all([
    db.selectFrom('sessions').select('reauthenticated_at').where('id', '=', user.sessionHandle).executeTakeFirst(),
    readTwoFactorSettings(db),
  ])
  return isRecent(session?.reauthenticated_at ?? null, settings.reauthMinutes, now)
}

export async function markReauthenticated(db: Executor, user: AuthUser, now = Date.now()): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ reauthenticated_at: new Date(now).toISOString() })
    .where('id', '=', user.sessionHandle)
    .execute()
}

export type ProofResult = { ok: true } | { ok: false; field: 'password' | 'code'; message: string }

/**
 * Checks the password and, for an enrolled user, the code (from the app, or a recovery code),
 * throttled per account. Does not mark the session: callers decide what the proof is for.
 */
export async function proveIdentity(
  request: Request,
  user: AuthUser,
  password: string,
  code: string | undefined,
  purpose: string,
): Promise<ProofResult> {
  const db = getDb()
  const actor = actorOf(user)
  const record = { recordType: 'user', recordId: user.userId }
  const verdict = await checkThrottle(db, user.username, null)
  if (!verdict.ok) {
    const minutes = verdict.reason === 'account' ? verdict.minutes : 1
    await audit(db, request, actor, {
      action: 'auth.reauthenticate',
      ...record,
      result: 'denied',
      detail: { purpose, reason: 'throttled' },
    })
    return { ok: false, field: 'password', message: messageRef('auth.signIn.throttled', { minutes }) }
  }
  const row = await db.selectFrom('users').select('password_hash').where('id', '=', user.userId).executeTakeFirstOrThrow()
  const passwordOk = row.password_hash ? await verifyPassword(row.password_hash, password) : false
  if (!passwordOk) {
    await recordFailure(db, user.username)
    await audit(db, request, actor, {
      action: 'auth.reauthenticate',
      ...record,
      result: 'failed',
      detail: { purpose, reason: 'wrong_password' },
    })
    return { ok: false, field: 'password', message: 'account.wrongPassword' }
  }
  if (await hasSecondFactor(db, user.userId)) {
    const typed = code?.trim() ?? ''
    const check = await checkTypedCode(db, user.userId, typed)
    if (!check.ok) {
      await recordFailure(db, user.username)
      await audit(db, request, actor, {
        action: 'auth.reauthenticate',
        ...record,
        result: 'failed',
        detail: { purpose, reason: typed ? `code_${check.reason}` : 'code_missing' },
      })
      return { ok: false, field: 'code', message: typed ? 'twoFactor.wrongCode' : 'twoFactor.codeRequired' }
    }
    if (check.method === 'recovery') {
      await audit(db, request, actor, {
        action: 'auth.two_factor.recovery_used',
        ...record,
        detail: { left: check.recoveryCodesLeft, purpose },
      })
    }
  }
  await clearFailures(db, user.username)
  return { ok: true }
}

/** The re-authentication form of the two-factor page: on success the session counts as freshly proven. */
export async function reauthenticate(request: Request, user: AuthUser, password: string, code: string | undefined): Promise<ProofResult> {
  const proof = await proveIdentity(request, user, password, code, 'reauthenticate')
  if (!proof.ok) return proof
  const db = getDb()
  await markReauthenticated(db, user)
  await audit(db, request, actorOf(user), { action: 'auth.reauthenticate', recordType: 'user', recordId: user.userId })
  return proof
}
