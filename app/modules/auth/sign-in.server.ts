/**
 * Sign-in: throttle first (no hashing for throttled attempts), then the password check, with
 * the same answer and similar timing for unknown accounts and wrong passwords. An account with a
 * second factor, or whose role requires one, then gets a pending sign-in (pending-sign-in.server.ts)
 * instead of a session: the session is created only once the code is right or enrolment is done.
 */
import { audit, ANONYMOUS } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import type { DB } from '#app/lib/db.server.ts'
import { clientAddress } from '#app/lib/request.server.ts'
import { actorFromGrants, loadGrants } from './authz.server.ts'
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from './password.server.ts'
import {
  type PendingSignIn,
  clearPendingCookie,
  countWrongCode,
  createPendingSignIn,
  endPendingSignIn,
  readPendingSignIn,
} from './pending-sign-in.server.ts'
import { startSession } from './session.server.ts'
import { checkThrottle, clearFailures, recordFailure } from './throttle.server.ts'
import { secondFactorRequired } from './two-factor-policy.ts'
import { readTwoFactorSettings } from './two-factor-settings.server.ts'
import { type SecondFactorMethod, checkSecondFactor, confirmEnrolment, hasSecondFactor } from './two-factor.server.ts'

export const TWO_FACTOR_PATH = '/login/two-factor'
export const ENROL_PATH = '/login/two-factor-setup'

export type SignInResult =
  | { ok: true; setCookie: string; userId: string; next: 'session' | 'two-factor' | 'enrol' }
  | { ok: false; error: 'auth.signIn.failed' }
  | { ok: false; error: 'auth.signIn.throttled'; minutes: number }
  | { ok: false; error: 'auth.signIn.addressThrottled' }

export function normaliseUsername(value: string): string {
  return value.trim().toLowerCase()
}

export async function signIn(request: Request, rawUsername: string, password: string, redirectTo = '/'): Promise<SignInResult> {
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

  if (user.password_hash && needsRehash(user.password_hash)) {
    await db
      .updateTable('users')
      .set({ password_hash: await hashPassword(password) })
      .where('id', '=', user.id)
      .execute()
  }

  const next = await afterPassword(request, user.id, username, redirectTo)
  return { ok: true, userId: user.id, ...next }
}

export type NextStep = 'session' | 'two-factor' | 'enrol'

/**
 * What follows a proven password (at sign-in, or after setting one through a set-up or reset
 * link): a session, or a pending sign-in when the account has a second factor or its role
 * requires one. Returns the Set-Cookie value and the step; `pathOf(next)` says where to go.
 */
export async function afterPassword(
  request: Request,
  userId: string,
  username: string,
  redirectTo: string,
): Promise<{ setCookie: string; next: NextStep }> {
  const db = getDb()
  if (await hasSecondFactor(db, userId)) {
    // The account's failures are not cleared yet: wrong codes keep counting against the same
    // throttle, so knowing the password does not buy fresh attempts at the code.
    return { setCookie: await createPendingSignIn(db, userId, 'verify', redirectTo), next: 'two-factor' }
  }
  await clearFailures(db, username)
  const grants = await loadGrants(userId)
  const settings = await readTwoFactorSettings(db)
  if (
    secondFactorRequired(
      grants.map((g) => g.role),
      settings.requiredRoles,
    )
  ) {
    const setCookie = await createPendingSignIn(db, userId, 'enrol', redirectTo)
    await audit(db, request, actorFromGrants(userId, username, grants), {
      action: 'auth.two_factor.enrol_required',
      recordType: 'user',
      recordId: userId,
    })
    return { setCookie, next: 'enrol' }
  }
  return { setCookie: await finishSignIn(db, request, userId, username, 'none'), next: 'session' }
}

export function pathOf(next: Exclude<NextStep, 'session'>): string {
  return next === 'two-factor' ? TWO_FACTOR_PATH : ENROL_PATH
}

/** Creates the session once every step is done, and records the sign-in. */
async function finishSignIn(db: DB, request: Request, userId: string, username: string, secondFactor: string): Promise<string> {
  await db.updateTable('users').set({ last_sign_in_at: new Date().toISOString() }).where('id', '=', userId).execute()
  const setCookie = await startSession(request, userId)
  await audit(db, request, actorFromGrants(userId, username, await loadGrants(userId)), {
    action: 'auth.sign_in',
    recordType: 'user',
    recordId: userId,
    detail: { secondFactor },
  })
  return setCookie
}

export type SecondStepResult =
  | { ok: true; setCookies: string[]; redirectTo: string; recoveryCodesLeft?: number }
  | { ok: false; error: 'twoFactor.pendingExpired' }
  | { ok: false; error: 'twoFactor.wrongCode' | 'twoFactor.wrongRecoveryCode'; attemptsUsedUp: boolean }
  | { ok: false; error: 'auth.signIn.throttled'; minutes: number }
  | { ok: false; error: 'auth.signIn.addressThrottled' }

export async function pendingSignIn(request: Request) {
  return readPendingSignIn(getDb(), request)
}

/**
 * The second step: a code from the app or a recovery code. Throttled exactly like passwords
 * (the same account and address limits), checked before the secret is even decrypted.
 */
export async function completeSecondFactor(
  request: Request,
  pending: PendingSignIn,
  method: SecondFactorMethod,
  input: string,
): Promise<SecondStepResult> {
  const db = getDb()
  const actor = { ...ANONYMOUS, userId: pending.userId, username: pending.username }
  const verdict = await checkThrottle(db, pending.username, clientAddress(request))
  if (!verdict.ok) {
    await audit(db, request, actor, {
      action: 'auth.two_factor.verify',
      recordType: 'user',
      recordId: pending.userId,
      result: 'denied',
      detail: { reason: `throttled:${verdict.reason}` },
    })
    return verdict.reason === 'account'
      ? { ok: false, error: 'auth.signIn.throttled', minutes: verdict.minutes }
      : { ok: false, error: 'auth.signIn.addressThrottled' }
  }

  const check = await checkSecondFactor(db, pending.userId, method, input)
  if (!check.ok) {
    await recordFailure(db, pending.username)
    const attemptsUsedUp = await countWrongCode(db, pending)
    await audit(db, request, actor, {
      action: 'auth.two_factor.verify',
      recordType: 'user',
      recordId: pending.userId,
      result: 'failed',
      detail: { method, reason: check.reason, attemptsUsedUp },
    })
    return { ok: false, error: method === 'totp' ? 'twoFactor.wrongCode' : 'twoFactor.wrongRecoveryCode', attemptsUsedUp }
  }
  // Two racing submissions with two valid codes make one session: only one removes the pending row.
  if (!(await endPendingSignIn(db, pending.id))) return { ok: false, error: 'twoFactor.pendingExpired' }
  await clearFailures(db, pending.username)
  if (check.method === 'recovery') {
    await audit(db, request, actor, {
      action: 'auth.two_factor.recovery_used',
      recordType: 'user',
      recordId: pending.userId,
      detail: { left: check.recoveryCodesLeft },
    })
  }
  const session = await finishSignIn(db, request, pending.userId, pending.username, check.method)
  return {
    ok: true,
    setCookies: [session, await clearPendingCookie()],
    redirectTo: pending.redirectTo,
    ...(check.method === 'recovery' ? { recoveryCodesLeft: check.recoveryCodesLeft } : {}),
  }
}

export type EnrolStepResult =
  | { ok: true; setCookies: string[]; redirectTo: string; recoveryCodes: string[] }
  | { ok: false; error: 'twoFactor.pendingExpired' | 'twoFactor.wrongCode' | 'twoFactor.noEnrolment' }

/** Confirms the enrolment a required role demanded, then signs in with the new factor. */
export async function completeEnrolment(request: Request, pending: PendingSignIn, code: string): Promise<EnrolStepResult> {
  const db = getDb()
  const actor = actorFromGrants(pending.userId, pending.username, await loadGrants(pending.userId))
  const confirmed = await confirmEnrolment(db, request, actor, pending.userId, code)
  if (!confirmed.ok) return { ok: false, error: confirmed.reason === 'invalid' ? 'twoFactor.wrongCode' : 'twoFactor.noEnrolment' }
  if (!(await endPendingSignIn(db, pending.id))) return { ok: false, error: 'twoFactor.pendingExpired' }
  const session = await finishSignIn(db, request, pending.userId, pending.username, 'enrolled')
  return {
    ok: true,
    setCookies: [session, await clearPendingCookie()],
    redirectTo: pending.redirectTo,
    recoveryCodes: confirmed.recoveryCodes,
  }
}
