/**
 * Two-factor sign-in against a real database, through the real routes: enrolment, the second
 * step after the password (pending state, expiry, replay, throttling), recovery codes, the
 * enrolment a required role is forced into, re-authentication and an administrator's reset.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

// decrypt is watched, so a test can prove a throttled code never reaches the secret.
vi.mock('#app/lib/crypto.server.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('#app/lib/crypto.server.ts')>()
  return { ...actual, decrypt: vi.fn(actual.decrypt) }
})

import { decodeBase32IgnorePadding } from '@oslojs/encoding'
import { decrypt } from '#app/lib/crypto.server.ts'
import { writeSetting } from '#app/lib/settings.server.ts'
import { action as userAdminAction } from '#app/routes/_app.admin.users.$userId.tsx'
import { action as accountAction } from '#app/routes/_app.account.tsx'
import { action as twoFactorAccountAction, loader as twoFactorAccountLoader } from '#app/routes/_app.account_.two-factor.tsx'
import { loader as appLoader } from '#app/routes/_app.tsx'
import { action as enrolAction, loader as enrolLoader } from '#app/routes/login_.two-factor-setup.tsx'
import { action as stepAction, loader as stepLoader } from '#app/routes/login_.two-factor.tsx'
import { action as setupAction } from '#app/routes/setup.$token.tsx'
import { testDb } from '#tests/fixtures/db.ts'
import { createOrganisation, createUser } from '#tests/fixtures/factories.ts'
import { makeRequest } from '#tests/fixtures/request.ts'
import {
  type RouteResult,
  callRoute,
  cookiePair,
  fieldErrorsOf,
  flashOf,
  locationOf,
  postLogin,
  sessionCookieOf,
  setCookieLine,
} from '#tests/auth/helpers.ts'
import type { Role } from '#db/schema.ts'
import { getOptionalUser } from './authz.server.ts'
import { hashSessionToken } from './session-adapter.server.ts'
import { issueSetupToken } from './setup-tokens.server.ts'
import { recordFailure } from './throttle.server.ts'
import { codeForStep, timeStep } from './totp.ts'
import { TWO_FACTOR_SETTINGS } from './two-factor-settings.server.ts'

const PASSWORD = 'lantern-river-2026-long'
const MINUTE = 60_000

let n = 0
async function newAccount(role: Role = 'mediator') {
  const username = `tf.user${++n}`
  const org = role === 'association_admin' ? await createOrganisation(testDb(), { kind: 'association' }) : null
  const { user } = await createUser(testDb(), {
    username,
    password: PASSWORD,
    roles: [{ role, ...(org ? { orgId: org.id } : {}), ...(role === 'bureau_staff' ? { regionCode: '110000' } : {}) }],
  })
  return { username, userId: user.id }
}

const PENDING = /^(__Host-)?tiaojie_2fa$/
const pendingCookieOf = (result: RouteResult) => cookiePair(setCookieLine(result, PENDING))
const hasSessionCookie = (result: RouteResult) => !!setCookieLine(result, /^(__Host-)?tiaojie_session$/)
const signedIn = async (cookie: string) => (await getOptionalUser(makeRequest('/', { cookie }))) !== null
const sessionRows = (userId: string) => testDb().selectFrom('sessions').selectAll().where('user_id', '=', userId).execute()
const auditOf = (userId: string, action: string) =>
  testDb().selectFrom('audit_log').selectAll().where('record_id', '=', userId).where('action', '=', action).orderBy('at').execute()

/** The active (or candidate) key, read as the authenticator app would have it. */
async function keyOf(userId: string, which: 'secret_enc' | 'candidate_secret_enc' = 'secret_enc') {
  const row = await testDb().selectFrom('user_two_factor').selectAll().where('user_id', '=', userId).executeTakeFirstOrThrow()
  return decodeBase32IgnorePadding(decrypt(row[which]!))
}
const codeNow = (key: Uint8Array, offsetSteps = 0) => codeForStep(key, timeStep(Date.now()) + offsetSteps)

/** Field errors of a reply these routes wrap as `{ intent, result }`. */
const replyErrorsOf = (result: RouteResult, field: string): string[] | undefined => result.data?.result?.error?.[field]

const post = (fn: unknown, path: string, cookie: string, form: Record<string, string>, params: Record<string, string> = {}) =>
  callRoute(fn as never, makeRequest(path, { form, cookie }), params)

/** Signs in (password only: the account has no factor and no required role) and returns the session cookie. */
async function passwordSession(username: string) {
  const result = await postLogin(username, PASSWORD)
  expect(locationOf(result)).toBe('/')
  return sessionCookieOf(result)
}

/** Enrols through the account page and returns the recovery codes. */
async function enrol(userId: string, cookie: string) {
  expect(locationOf(await post(twoFactorAccountAction, '/account/two-factor', cookie, { intent: 'start' }))).toBe('/account/two-factor')
  const done = await post(twoFactorAccountAction, '/account/two-factor', cookie, {
    intent: 'confirm',
    code: codeNow(await keyOf(userId, 'candidate_secret_enc')),
  })
  expect(done.status).toBe(200)
  return done.data.recoveryCodes as string[]
}

/** A user with a factor, signed out again: returns the recovery codes. */
async function enrolledAccount(role: Role = 'mediator') {
  const account = await newAccount(role)
  const codes = await enrol(account.userId, await passwordSession(account.username))
  await testDb().deleteFrom('sessions').where('user_id', '=', account.userId).execute()
  // The enrolment used the current step: sign-ins in these tests start on a fresh step.
  vi.setSystemTime(Date.now() + 30_000)
  return { ...account, recoveryCodes: codes }
}

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(Date.parse('2026-12-05T08:00:00.000Z') + n * 10 * MINUTE)
  await testDb().deleteFrom('sign_in_throttle').execute()
  // This file's default: optional for everyone; tests of the requirement set it themselves.
  await writeSetting(testDb(), TWO_FACTOR_SETTINGS.requiredRoles, '', null)
  vi.mocked(decrypt).mockClear()
})

afterEach(() => {
  vi.useRealTimers()
})

describe('enrolment on the account page (optional role)', () => {
  it('shows a new secret after "start", activates it only with a valid code, and gives ten recovery codes once', async () => {
    const { username, userId } = await newAccount()
    const cookie = await passwordSession(username)
    const before = await callRoute(twoFactorAccountLoader as never, makeRequest('/account/two-factor', { cookie }))
    expect(before.data).toMatchObject({ status: { enrolled: false, enrolling: false }, required: false, fresh: true, enrolment: null })

    await post(twoFactorAccountAction, '/account/two-factor', cookie, { intent: 'start' })
    const page = await callRoute(twoFactorAccountLoader as never, makeRequest('/account/two-factor', { cookie }))
    expect(page.data.enrolment.secret).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/)
    expect(page.data.enrolment.qr).toMatch(/^data:image\/svg\+xml;base64,/)
    const key = await keyOf(userId, 'candidate_secret_enc')
    expect(page.data.enrolment.secret.replaceAll(' ', '')).toBe(
      decrypt(
        (
          await testDb()
            .selectFrom('user_two_factor')
            .select('candidate_secret_enc')
            .where('user_id', '=', userId)
            .executeTakeFirstOrThrow()
        ).candidate_secret_enc!,
      ),
    )

    // Sealed at rest: the stored value is not the base32 secret.
    const stored = await testDb().selectFrom('user_two_factor').selectAll().where('user_id', '=', userId).executeTakeFirstOrThrow()
    expect(stored.candidate_secret_enc).toMatch(/^v\d+\./)
    expect(stored.candidate_secret_enc).not.toContain(page.data.enrolment.secret.replaceAll(' ', ''))
    expect(stored.secret_enc).toBeNull()

    const wrong = await post(twoFactorAccountAction, '/account/two-factor', cookie, { intent: 'confirm', code: codeNow(key, 3) })
    expect(wrong.status).toBe(400)
    expect(replyErrorsOf(wrong, 'code')).toEqual(['twoFactor.wrongCode'])
    expect(
      (await testDb().selectFrom('user_two_factor').select('secret_enc').where('user_id', '=', userId).executeTakeFirstOrThrow())
        .secret_enc,
    ).toBeNull()

    const done = await post(twoFactorAccountAction, '/account/two-factor', cookie, { intent: 'confirm', code: codeNow(key) })
    expect(done.status).toBe(200)
    const codes = done.data.recoveryCodes as string[]
    expect(codes).toHaveLength(10)
    const rows = await testDb().selectFrom('two_factor_recovery_codes').selectAll().where('user_id', '=', userId).execute()
    expect(rows).toHaveLength(10)
    expect(JSON.stringify(rows)).not.toContain(codes[0]!.replace('-', ''))
    expect(JSON.stringify(rows)).not.toContain(codes[0]!)
    const after = await callRoute(twoFactorAccountLoader as never, makeRequest('/account/two-factor', { cookie }))
    expect(after.data.status).toMatchObject({ enrolled: true, enrolling: false, recoveryCodesLeft: 10 })
    // The clock is frozen in these tests: both entries carry the same time, so compare as a set.
    expect((await auditOf(userId, 'auth.two_factor.enrol')).map((a) => a.result).sort()).toEqual(['failed', 'ok'])
  })
})

describe('signing in with a second factor', () => {
  it('the password alone makes a pending state, not a session; the right code makes the session', async () => {
    const { username, userId } = await enrolledAccount()
    const first = await callRoute(
      (await import('#app/routes/login.tsx')).action as never,
      makeRequest('/login', { form: { username, password: PASSWORD, redirectTo: '/people' } }),
    )
    expect(first.status).toBe(302)
    expect(locationOf(first)).toBe('/login/two-factor')
    expect(hasSessionCookie(first)).toBe(false)
    expect(await sessionRows(userId)).toHaveLength(0)
    const pending = pendingCookieOf(first)
    expect(setCookieLine(first, PENDING)).toMatch(/HttpOnly/)
    expect(setCookieLine(first, PENDING)).toMatch(/SameSite=Lax/)

    // Only a hash of the pending token is stored; the pending cookie opens no page.
    const rows = await testDb().selectFrom('two_factor_pending').selectAll().where('user_id', '=', userId).execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]!.purpose).toBe('verify')
    expect(await signedIn(pending)).toBe(false)
    const app = await callRoute(appLoader as never, makeRequest('/people', { cookie: pending }))
    expect(locationOf(app)).toMatch(/^\/login\?redirectTo=/)
    expect((await callRoute(stepLoader as never, makeRequest('/login/two-factor', { cookie: pending }))).status).toBe(200)

    const done = await post(stepAction, '/login/two-factor', pending, { intent: 'totp', code: codeNow(await keyOf(userId)) })
    expect(done.status).toBe(302)
    expect(locationOf(done)).toBe('/people')
    expect(await signedIn(sessionCookieOf(done))).toBe(true)
    expect(setCookieLine(done, PENDING)).toMatch(/Max-Age=0/)
    expect(await testDb().selectFrom('two_factor_pending').select('id').where('user_id', '=', userId).execute()).toHaveLength(0)
    const signIns = await auditOf(userId, 'auth.sign_in')
    expect(JSON.parse(signIns.at(-1)!.detail!)).toEqual({ secondFactor: 'totp' })
  })

  it('refuses a code that was already used in the same time step (replay)', async () => {
    const { username, userId } = await enrolledAccount()
    const code = codeNow(await keyOf(userId))
    const one = pendingCookieOf(await postLogin(username, PASSWORD))
    expect((await post(stepAction, '/login/two-factor', one, { intent: 'totp', code })).status).toBe(302)

    const two = pendingCookieOf(await postLogin(username, PASSWORD))
    const replay = await post(stepAction, '/login/two-factor', two, { intent: 'totp', code })
    expect(replay.status).toBe(400)
    expect(replyErrorsOf(replay, 'code')).toEqual(['twoFactor.wrongCode'])
    expect(hasSessionCookie(replay)).toBe(false)
    const failed = await auditOf(userId, 'auth.two_factor.verify')
    expect(JSON.parse(failed.at(-1)!.detail!)).toMatchObject({ method: 'totp', reason: 'replay' })
    // The next step's code still works.
    vi.setSystemTime(Date.now() + 30_000)
    expect((await post(stepAction, '/login/two-factor', two, { intent: 'totp', code: codeNow(await keyOf(userId)) })).status).toBe(302)
  })

  it('accepts codes one step either side of the server clock, not two', async () => {
    const { username, userId } = await enrolledAccount()
    const key = await keyOf(userId)
    const pending = pendingCookieOf(await postLogin(username, PASSWORD))
    expect((await post(stepAction, '/login/two-factor', pending, { intent: 'totp', code: codeNow(key, 2) })).status).toBe(400)
    expect((await post(stepAction, '/login/two-factor', pending, { intent: 'totp', code: codeNow(key, -2) })).status).toBe(400)
    expect((await post(stepAction, '/login/two-factor', pending, { intent: 'totp', code: codeNow(key, 1) })).status).toBe(302)
  })

  it('the pending state expires after five minutes: back to the password', async () => {
    const { username, userId } = await enrolledAccount()
    const pending = pendingCookieOf(await postLogin(username, PASSWORD))
    vi.setSystemTime(Date.now() + 5 * MINUTE + 1000)
    const late = await post(stepAction, '/login/two-factor', pending, { intent: 'totp', code: codeNow(await keyOf(userId)) })
    expect(locationOf(late)).toBe('/login')
    expect(await flashOf(late)).toEqual({ kind: 'error', message: 'twoFactor.pendingExpired' })
    expect(hasSessionCookie(late)).toBe(false)
    expect(await sessionRows(userId)).toHaveLength(0)
    expect(locationOf(await callRoute(stepLoader as never, makeRequest('/login/two-factor', { cookie: pending })))).toBe('/login')
  })

  it('five wrong codes end the pending state', async () => {
    const { username, userId } = await enrolledAccount()
    const pending = pendingCookieOf(await postLogin(username, PASSWORD))
    for (let i = 0; i < 4; i++) {
      expect((await post(stepAction, '/login/two-factor', pending, { intent: 'totp', code: '000000' })).status).toBe(400)
    }
    const fifth = await post(stepAction, '/login/two-factor', pending, { intent: 'totp', code: '000000' })
    expect(locationOf(fifth)).toBe('/login')
    expect(await flashOf(fifth)).toEqual({ kind: 'error', message: 'twoFactor.attemptsUsedUp' })
    const right = await post(stepAction, '/login/two-factor', pending, { intent: 'totp', code: codeNow(await keyOf(userId)) })
    expect(locationOf(right)).toBe('/login')
    expect(await sessionRows(userId)).toHaveLength(0)
  })

  it('wrong codes count against the account like wrong passwords; a locked account is answered without touching the secret', async () => {
    const { username, userId } = await enrolledAccount()
    for (let i = 0; i < 4; i++) await recordFailure(testDb(), username)
    // The right password does not wipe the failures while a code is still owed.
    const pending = pendingCookieOf(await postLogin(username, PASSWORD))
    expect((await post(stepAction, '/login/two-factor', pending, { intent: 'totp', code: '000000' })).status).toBe(400)
    const throttle = await testDb()
      .selectFrom('sign_in_throttle')
      .selectAll()
      .where('key', '=', `account:${username}`)
      .executeTakeFirstOrThrow()
    expect(throttle.failures).toBe(5)
    expect(throttle.locked_until).not.toBeNull()

    vi.mocked(decrypt).mockClear()
    const locked = await post(stepAction, '/login/two-factor', pending, { intent: 'totp', code: codeNow(await keyOf(userId)) })
    expect(locked.status).toBe(429)
    expect(replyErrorsOf(locked, 'code')).toEqual(['auth.signIn.throttled?minutes=1'])
    // keyOf() above decrypted once; the action itself never did.
    expect(vi.mocked(decrypt)).toHaveBeenCalledTimes(1)
    expect(hasSessionCookie(locked)).toBe(false)
    expect((await auditOf(userId, 'auth.two_factor.verify')).map((a) => a.result).sort()).toEqual(['denied', 'failed'])

    vi.setSystemTime(Date.now() + 2 * MINUTE)
    const later = await post(stepAction, '/login/two-factor', pending, { intent: 'totp', code: codeNow(await keyOf(userId)) })
    expect(later.status).toBe(302)
    expect(
      await testDb().selectFrom('sign_in_throttle').select('key').where('key', '=', `account:${username}`).executeTakeFirst(),
    ).toBeUndefined()
  })
})

describe('recovery codes', () => {
  it('sign in once each, are audited, and say how many are left', async () => {
    const { username, userId, recoveryCodes } = await enrolledAccount()
    const code = recoveryCodes[3]!
    const pending = pendingCookieOf(await postLogin(username, PASSWORD))
    const done = await post(stepAction, '/login/two-factor', pending, { intent: 'recovery', recoveryCode: ` ${code.toUpperCase()} ` })
    expect(done.status).toBe(302)
    expect(await signedIn(sessionCookieOf(done))).toBe(true)
    expect(await flashOf(done)).toEqual({ kind: 'info', message: 'twoFactor.recovery.used', params: { left: 9 } })
    expect(JSON.parse((await auditOf(userId, 'auth.two_factor.recovery_used'))[0]!.detail!)).toEqual({ left: 9 })

    const again = pendingCookieOf(await postLogin(username, PASSWORD))
    const reused = await post(stepAction, '/login/two-factor', again, { intent: 'recovery', recoveryCode: code })
    expect(reused.status).toBe(400)
    expect(replyErrorsOf(reused, 'recoveryCode')).toEqual(['twoFactor.wrongRecoveryCode'])
    // Another user's codes are no good here either.
    const other = await enrolledAccount()
    const foreign = await post(stepAction, '/login/two-factor', again, { intent: 'recovery', recoveryCode: other.recoveryCodes[0]! })
    expect(foreign.status).toBe(400)
  })
})

describe('a role that requires a second factor', () => {
  beforeEach(async () => {
    await writeSetting(testDb(), TWO_FACTOR_SETTINGS.requiredRoles, 'admin,bureau_staff,association_admin', null)
  })

  it('is the default: with no stored setting, admins must enrol', async () => {
    await testDb().deleteFrom('settings').where('key', '=', 'twoFactor.requiredRoles').execute()
    const { username } = await newAccount('bureau_staff')
    expect(locationOf(await postLogin(username, PASSWORD))).toBe('/login/two-factor-setup')
  })

  it('is sent to enrol after the password, can do nothing else, and gets a session only when done', async () => {
    const { username, userId } = await newAccount('association_admin')
    const first = await postLogin(username, PASSWORD)
    expect(locationOf(first)).toBe('/login/two-factor-setup')
    expect(hasSessionCookie(first)).toBe(false)
    const pending = pendingCookieOf(first)
    expect(await auditOf(userId, 'auth.two_factor.enrol_required')).toHaveLength(1)

    // Nothing else opens: the signed-in area and the ordinary second step refuse the pending cookie.
    expect(locationOf(await callRoute(appLoader as never, makeRequest('/', { cookie: pending })))).toMatch(/^\/login\?redirectTo=/)
    expect(locationOf(await callRoute(stepLoader as never, makeRequest('/login/two-factor', { cookie: pending })))).toBe('/login')
    expect(locationOf(await callRoute(twoFactorAccountLoader as never, makeRequest('/account/two-factor', { cookie: pending })))).toMatch(
      /^\/login/,
    )

    const page = await callRoute(enrolLoader as never, makeRequest('/login/two-factor-setup', { cookie: pending }))
    expect(page.data).toEqual({ mode: 'enrol', enrolment: null })
    expect(locationOf(await post(enrolAction, '/login/two-factor-setup', pending, { intent: 'start' }))).toBe('/login/two-factor-setup')
    const shown = await callRoute(enrolLoader as never, makeRequest('/login/two-factor-setup', { cookie: pending }))
    expect(shown.data.enrolment.secret).toMatch(/^[A-Z2-7 ]+$/)
    const key = decodeBase32IgnorePadding(shown.data.enrolment.secret.replaceAll(' ', ''))

    const wrong = await post(enrolAction, '/login/two-factor-setup', pending, { intent: 'confirm', code: codeNow(key, 4) })
    expect(wrong.status).toBe(400)
    expect(hasSessionCookie(wrong)).toBe(false)

    const done = await post(enrolAction, '/login/two-factor-setup', pending, { intent: 'confirm', code: codeNow(key) })
    expect(done.status).toBe(200)
    expect(done.data.recoveryCodes).toHaveLength(10)
    expect(done.data.continueTo).toBe('/')
    const session = sessionCookieOf(done)
    expect(await signedIn(session)).toBe(true)
    expect(setCookieLine(done, PENDING)).toMatch(/Max-Age=0/)
    expect(JSON.parse((await auditOf(userId, 'auth.sign_in')).at(-1)!.detail!)).toEqual({ secondFactor: 'enrolled' })
    // After the revalidation the page says "done" instead of sending the user back to the password.
    expect((await callRoute(enrolLoader as never, makeRequest('/login/two-factor-setup', { cookie: session }))).data.mode).toBe('done')

    // Next time the code is asked for, and the factor cannot be turned off.
    vi.setSystemTime(Date.now() + 30_000)
    expect(locationOf(await postLogin(username, PASSWORD))).toBe('/login/two-factor')
    const removal = await post(twoFactorAccountAction, '/account/two-factor', session, { intent: 'remove' })
    expect(await flashOf(removal)).toEqual({ kind: 'error', message: 'twoFactor.remove.required' })
    expect(
      (await testDb().selectFrom('user_two_factor').select('secret_enc').where('user_id', '=', userId).executeTakeFirstOrThrow())
        .secret_enc,
    ).not.toBeNull()
  })

  it('the enrolment state expires too', async () => {
    const { username } = await newAccount('admin')
    const pending = pendingCookieOf(await postLogin(username, PASSWORD))
    vi.setSystemTime(Date.now() + 16 * MINUTE)
    expect(locationOf(await post(enrolAction, '/login/two-factor-setup', pending, { intent: 'start' }))).toBe('/login')
  })
})

describe('set-up and reset links', () => {
  it('prove the password only: a required role enrols, an enrolled user still gives a code', async () => {
    await writeSetting(testDb(), TWO_FACTOR_SETTINGS.requiredRoles, 'admin', null)
    const admin = await newAccount('admin')
    const { token } = await issueSetupToken(testDb(), admin.userId, 'reset', null)
    const form = { password: 'a-fresh-admin-passphrase', confirm: 'a-fresh-admin-passphrase' }
    const setup = await callRoute(setupAction as never, makeRequest(`/setup/${token}`, { form }), { token })
    expect(locationOf(setup)).toBe('/login/two-factor-setup')
    expect(hasSessionCookie(setup)).toBe(false)
    expect(setCookieLine(setup, PENDING)).toBeDefined()

    const enrolled = await enrolledAccount()
    const reset = await issueSetupToken(testDb(), enrolled.userId, 'reset', null)
    const again = await callRoute(setupAction as never, makeRequest(`/setup/${reset.token}`, { form }), { token: reset.token })
    expect(locationOf(again)).toBe('/login/two-factor')
    expect(hasSessionCookie(again)).toBe(false)
    expect(await sessionRows(enrolled.userId)).toHaveLength(0)
  })
})

describe('re-authentication', () => {
  async function staleSession(username: string) {
    const cookie = await passwordSession(username)
    const token = cookie.slice(cookie.indexOf('=') + 1)
    // Sign-in counts as a proof: age it past the setting (10 minutes by default).
    await testDb()
      .updateTable('sessions')
      .set({ reauthenticated_at: new Date(Date.now() - 11 * MINUTE).toISOString() })
      .where('id', '=', hashSessionToken(token))
      .execute()
    return cookie
  }

  it('is required before enrolling, regenerating or removing, and needs the password and a code when enrolled', async () => {
    const { username, userId, recoveryCodes } = await enrolledAccount()
    // Signed in with a recovery code, then the proof ages.
    const pending = pendingCookieOf(await postLogin(username, PASSWORD))
    const cookie = sessionCookieOf(
      await post(stepAction, '/login/two-factor', pending, { intent: 'recovery', recoveryCode: recoveryCodes[0]! }),
    )
    await testDb()
      .updateTable('sessions')
      .set({ reauthenticated_at: new Date(Date.now() - 11 * MINUTE).toISOString() })
      .where('id', '=', hashSessionToken(cookie.slice(cookie.indexOf('=') + 1)))
      .execute()

    expect((await callRoute(twoFactorAccountLoader as never, makeRequest('/account/two-factor', { cookie }))).data.fresh).toBe(false)
    for (const intent of ['start', 'regenerate', 'remove']) {
      const refused = await post(twoFactorAccountAction, '/account/two-factor', cookie, { intent })
      expect(await flashOf(refused)).toEqual({ kind: 'error', message: 'twoFactor.reauth.expired' })
    }
    const row = await testDb().selectFrom('user_two_factor').selectAll().where('user_id', '=', userId).executeTakeFirstOrThrow()
    expect(row.candidate_secret_enc).toBeNull()
    expect(
      await testDb()
        .selectFrom('two_factor_recovery_codes')
        .select('id')
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .execute(),
    ).toHaveLength(9)

    const noCode = await post(twoFactorAccountAction, '/account/two-factor', cookie, { intent: 'reauth', password: PASSWORD })
    expect(replyErrorsOf(noCode, 'code')).toEqual(['twoFactor.codeRequired'])
    const wrongPassword = await post(twoFactorAccountAction, '/account/two-factor', cookie, {
      intent: 'reauth',
      password: 'not-it',
      code: codeNow(await keyOf(userId)),
    })
    expect(replyErrorsOf(wrongPassword, 'password')).toEqual(['account.wrongPassword'])
    expect((await auditOf(userId, 'auth.reauthenticate')).filter((a) => a.result === 'failed')).toHaveLength(2)

    const ok = await post(twoFactorAccountAction, '/account/two-factor', cookie, {
      intent: 'reauth',
      password: PASSWORD,
      code: codeNow(await keyOf(userId)),
    })
    expect(locationOf(ok)).toBe('/account/two-factor')
    expect((await callRoute(twoFactorAccountLoader as never, makeRequest('/account/two-factor', { cookie }))).data.fresh).toBe(true)
    const regenerated = await post(twoFactorAccountAction, '/account/two-factor', cookie, { intent: 'regenerate' })
    expect(regenerated.data.recoveryCodes).toHaveLength(10)
    expect(
      await testDb()
        .selectFrom('two_factor_recovery_codes')
        .select('id')
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .execute(),
    ).toHaveLength(10)
    expect(await auditOf(userId, 'auth.two_factor.recovery_regenerated')).toHaveLength(1)

    // The proof lasts the configured minutes.
    vi.setSystemTime(Date.now() + 11 * MINUTE)
    expect(await flashOf(await post(twoFactorAccountAction, '/account/two-factor', cookie, { intent: 'remove' }))).toEqual({
      kind: 'error',
      message: 'twoFactor.reauth.expired',
    })
  })

  it('an optional user removes their own factor after re-authenticating', async () => {
    const { username, userId } = await newAccount()
    const cookie = await staleSession(username)
    expect(await enrolAfterReauth(cookie, userId)).toHaveLength(10)
    const removed = await post(twoFactorAccountAction, '/account/two-factor', cookie, { intent: 'remove' })
    expect(await flashOf(removed)).toEqual({ kind: 'success', message: 'twoFactor.remove.done' })
    expect(await testDb().selectFrom('user_two_factor').select('user_id').where('user_id', '=', userId).execute()).toHaveLength(0)
    expect(await testDb().selectFrom('two_factor_recovery_codes').select('id').where('user_id', '=', userId).execute()).toHaveLength(0)
    expect(await auditOf(userId, 'auth.two_factor.remove')).toHaveLength(1)
    vi.setSystemTime(Date.now() + 30_000)
    expect(locationOf(await postLogin(username, PASSWORD))).toBe('/')
  })

  async function enrolAfterReauth(cookie: string, userId: string) {
    expect(locationOf(await post(twoFactorAccountAction, '/account/two-factor', cookie, { intent: 'reauth', password: PASSWORD }))).toBe(
      '/account/two-factor',
    )
    return enrol(userId, cookie)
  }

  it('changing the password needs a code once a factor is enrolled', async () => {
    const { username, userId } = await enrolledAccount()
    const pending = pendingCookieOf(await postLogin(username, PASSWORD))
    const cookie = sessionCookieOf(
      await post(stepAction, '/login/two-factor', pending, { intent: 'totp', code: codeNow(await keyOf(userId)) }),
    )
    const form = {
      intent: 'change-password',
      currentPassword: PASSWORD,
      password: 'a-brand-new-passphrase',
      confirm: 'a-brand-new-passphrase',
    }
    const missing = await post(accountAction, '/account', cookie, form)
    expect(missing.status).toBe(400)
    expect(fieldErrorsOf(missing, 'code')).toEqual(['twoFactor.codeRequired'])
    vi.setSystemTime(Date.now() + 30_000)
    const changed = await post(accountAction, '/account', cookie, { ...form, code: codeNow(await keyOf(userId)) })
    expect(locationOf(changed)).toBe('/account')
    expect(await flashOf(changed)).toEqual({ kind: 'success', message: 'account.passwordChanged' })
  })
})

describe("an administrator's reset", () => {
  it('removes the factor and recovery codes and ends the user’s sessions, audited', async () => {
    const { username, userId } = await enrolledAccount()
    const pending = pendingCookieOf(await postLogin(username, PASSWORD))
    const victim = sessionCookieOf(
      await post(stepAction, '/login/two-factor', pending, { intent: 'totp', code: codeNow(await keyOf(userId)) }),
    )
    const admin = await newAccount('admin')
    const adminCookie = await passwordSession(admin.username)

    const reset = await post(userAdminAction, `/admin/users/${userId}`, adminCookie, { intent: 'reset-two-factor' }, { userId })
    expect(await flashOf(reset)).toEqual({ kind: 'success', message: 'twoFactor.admin.resetDone' })
    expect(await signedIn(victim)).toBe(false)
    expect(await testDb().selectFrom('user_two_factor').select('user_id').where('user_id', '=', userId).execute()).toHaveLength(0)
    expect(await testDb().selectFrom('two_factor_recovery_codes').select('id').where('user_id', '=', userId).execute()).toHaveLength(0)
    const entry = (await auditOf(userId, 'auth.two_factor.reset'))[0]!
    expect(entry.user_id).toBe(admin.userId)
    expect(JSON.parse(entry.detail!)).toEqual({ hadFactor: true, sessionsEnded: 1 })

    // A mediator (user:manage missing) may not.
    const other = await enrolledAccount()
    const mediator = await passwordSession((await newAccount()).username)
    const refused = await post(
      userAdminAction,
      `/admin/users/${other.userId}`,
      mediator,
      { intent: 'reset-two-factor' },
      { userId: other.userId },
    )
    expect(refused.status).toBe(403)
    expect(await testDb().selectFrom('user_two_factor').select('user_id').where('user_id', '=', other.userId).execute()).toHaveLength(1)
  })
})
