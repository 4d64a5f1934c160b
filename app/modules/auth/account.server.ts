/**
 * "My account": the signed-in user's own password and sessions. Everything here acts on the
 * user of the session only; nothing takes a user id from a form.
 */
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import type { Executor } from '#app/lib/db.server.ts'
import { getEnv } from '#app/lib/env.server.ts'
import { messageRef } from '#app/lib/i18n.ts'
import { isPrivileged } from '#app/modules/users/grant-rules.ts'
import { type AuthUser, actorOf } from './authz.server.ts'
import { passwordProblem } from './password-policy.ts'
import { hashPassword, verifyPassword } from './password.server.ts'
import { checkThrottle, clearFailures, recordFailure } from './throttle.server.ts'
import { checkTypedCode, hasSecondFactor } from './two-factor.server.ts'
import { describeUserAgent } from './user-agent.ts'

export type ChangePasswordResult = { ok: true } | { ok: false; field: 'currentPassword' | 'code' | 'password'; message: string }

/**
 * Re-authenticates with the current password (and, when a second factor is enrolled, a code from
 * the app or a recovery code), checks the new password against the policy, stores it and ends
 * every other session of the user (this one stays). Wrong current passwords and codes count as
 * failed sign-ins, so a stolen session cannot be used to guess them.
 */
export async function changePassword(
  request: Request,
  user: AuthUser,
  currentPassword: string,
  newPassword: string,
  code?: string,
): Promise<ChangePasswordResult> {
  const db = getDb()
  const actor = actorOf(user)
  const verdict = await checkThrottle(db, user.username, null)
  if (!verdict.ok) {
    const minutes = verdict.reason === 'account' ? verdict.minutes : 1
    await audit(db, request, actor, {
      action: 'account.password_change',
      recordType: 'user',
      recordId: user.userId,
      result: 'denied',
      detail: { reason: 'throttled' },
    })
    return { ok: false, field: 'currentPassword', message: messageRef('auth.signIn.throttled', { minutes }) }
  }

  const row = await db.selectFrom('users').select('password_hash').where('id', '=', user.userId).executeTakeFirstOrThrow()
  const verified = row.password_hash ? await verifyPassword(row.password_hash, currentPassword) : false
  if (!verified) {
    await recordFailure(db, user.username)
    await audit(db, request, actor, {
      action: 'account.password_change',
      recordType: 'user',
      recordId: user.userId,
      result: 'failed',
      detail: { reason: 'wrong_password' },
    })
    return { ok: false, field: 'currentPassword', message: 'account.wrongPassword' }
  }
  if (await hasSecondFactor(db, user.userId)) {
    const typed = code?.trim() ?? ''
    const check = typed ? await checkTypedCode(db, user.userId, typed) : null
    if (!check?.ok) {
      await recordFailure(db, user.username)
      await audit(db, request, actor, {
        action: 'account.password_change',
        recordType: 'user',
        recordId: user.userId,
        result: 'failed',
        detail: { reason: typed ? 'wrong_code' : 'code_missing' },
      })
      return { ok: false, field: 'code', message: typed ? 'twoFactor.wrongCode' : 'twoFactor.codeRequired' }
    }
    if (check.method === 'recovery') {
      await audit(db, request, actor, {
        action: 'auth.two_factor.recovery_used',
        recordType: 'user',
        recordId: user.userId,
        detail: { left: check.recoveryCodesLeft, purpose: 'password_change' },
      })
    }
  }
  await clearFailures(db, user.username)

  const problem = passwordProblem(newPassword, user.username, isPrivileged(user.grants.map((g) => g.role)))
  if (problem) return { ok: false, field: 'password', message: problem }

  const hash = await hashPassword(newPassword)
  const at = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set((eb) => ({ password_hash: hash, password_changed_at: at, updated_at: at, version: eb('version', '+', 1) }))
      .where('id', '=', user.userId)
      .execute()
    const ended = await trx
      .deleteFrom('sessions')
      .where('user_id', '=', user.userId)
      .where('id', '!=', user.sessionHandle)
      .executeTakeFirst()
    await audit(trx, request, actor, {
      action: 'account.password_changed',
      recordType: 'user',
      recordId: user.userId,
      detail: { otherSessionsEnded: Number(ended.numDeletedRows) },
    })
  })
  return { ok: true }
}

export interface SessionSummary {
  /** The stored id (a hash of the token, not the token), to name the session when ending it. */
  handle: string
  createdAt: string
  lastUsedAt: string
  ip: string | null
  browser: string | null
  current: boolean
}

/** The user's live sessions (expired ones are left out), most recently used first. */
export async function listSessions(
  db: Executor,
  userId: string,
  currentHandle: string | null,
  now = Date.now(),
): Promise<SessionSummary[]> {
  const idleCutoff = new Date(now - getEnv().SESSION_IDLE_MINUTES * 60_000).toISOString()
  const rows = await db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_used_at', 'ip', 'user_agent'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', new Date(now).toISOString())
    .where('last_used_at', '>', idleCutoff)
    .orderBy('last_used_at', 'desc')
    .orderBy('id')
    .limit(100)
    .execute()
  return rows.map((r) => ({
    handle: r.id,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    ip: r.ip,
    browser: describeUserAgent(r.user_agent),
    current: r.id === currentHandle,
  }))
}

/** Ends one of the user's own sessions; false when there is no such session of theirs. */
export async function endOwnSession(request: Request, user: AuthUser, handle: string): Promise<boolean> {
  const db = getDb()
  const result = await db.deleteFrom('sessions').where('id', '=', handle).where('user_id', '=', user.userId).executeTakeFirst()
  const ended = Number(result.numDeletedRows) === 1
  if (ended) {
    await audit(db, request, actorOf(user), {
      action: 'account.session_ended',
      recordType: 'user',
      recordId: user.userId,
      detail: { current: handle === user.sessionHandle },
    })
  }
  return ended
}
