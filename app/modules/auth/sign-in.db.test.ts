/**
 * Sign-in and sessions against a real database, through the real login action and session
 * module (security checklist 1-5, 9, 10).
 */
import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

// argon2 itself is watched, so a test can prove a throttled attempt never reaches it.
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@node-rs/argon2')>()
  return { ...actual, hash: vi.fn(actual.hash), verify: vi.fn(actual.verify) }
})

import * as argon2 from '@node-rs/argon2'
import { closeDb } from '#app/lib/db.server.ts'
import { resetEnvCache } from '#app/lib/env.server.ts'
import { loader as appLoader } from '#app/routes/_app.tsx'
import { action as logoutAction } from '#app/routes/logout.tsx'
import { testDb } from '#tests/fixtures/db.ts'
import { createUser } from '#tests/fixtures/factories.ts'
import { makeRequest } from '#tests/fixtures/request.ts'
import { callRoute, formErrorsOf, fromAddress, locationOf, loginRequest, postLogin, setCookieLine, signInAs } from '#tests/auth/helpers.ts'
import { getOptionalUser } from './authz.server.ts'
import { THROTTLE } from './throttle-policy.ts'
import { action as loginAction } from '#app/routes/login.tsx'

const PASSWORD = 'lantern-river-2026'
const T0 = Date.parse('2026-11-23T08:00:00.000Z')
const MINUTE = 60_000

let n = 0
/** A fresh account per test, so failures and locks never leak between tests. */
async function newAccount(options: { status?: 'active' | 'disabled' } = {}) {
  const username = `signin.user${++n}`
  const { user } = await createUser(testDb(), { username, password: PASSWORD, roles: [{ role: 'mediator' }], ...options })
  return { username, userId: user.id }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')
const tokenOf = (cookie: string) => cookie.slice(cookie.indexOf('=') + 1)
const signedIn = async (cookie: string) => (await getOptionalUser(makeRequest('/', { cookie }))) !== null
const sessionRows = (userId: string) => testDb().selectFrom('sessions').selectAll().where('user_id', '=', userId).execute()

beforeEach(async () => {
  // Every request of this file comes from the same test address; keep its bucket full.
  await testDb().deleteFrom('sign_in_throttle').where('key', 'like', 'address:%').execute()
  vi.mocked(argon2.verify).mockClear()
  vi.mocked(argon2.hash).mockClear()
})

afterEach(() => {
  vi.useRealTimers()
})

describe('the session cookie', () => {
  it('is set at sign-in exactly as specified: HttpOnly, SameSite=Lax, Path=/, no Domain, not Secure in development', async () => {
    const { username } = await newAccount()
    const result = await postLogin(username, PASSWORD)
    expect(result.status).toBe(302)
    expect(locationOf(result)).toBe('/')
    const line = setCookieLine(result, /^(__Host-)?tiaojie_session$/)!
    const [pair, ...attributes] = line.split('; ')
    expect(pair).toMatch(/^tiaojie_session=[a-z0-9]{32,}$/)
    expect(attributes.filter((a) => !a.startsWith('Max-Age=')).sort()).toEqual(['HttpOnly', 'Path=/', 'SameSite=Lax'])
    expect(attributes.find((a) => a.startsWith('Max-Age='))).toMatch(/^Max-Age=\d+$/)
    expect(line).not.toMatch(/domain=/i)
    expect(line).not.toMatch(/secure/i)
  })

  it('in production is called __Host-tiaojie_session and is Secure', async () => {
    const { username } = await newAccount()
    const before = process.env.NODE_ENV
    process.env.NODE_ENV = 'production'
    resetEnvCache()
    try {
      const result = await postLogin(username, PASSWORD)
      const line = setCookieLine(result, /^(__Host-)?tiaojie_session$/)!
      const [pair, ...attributes] = line.split('; ')
      expect(pair).toMatch(/^__Host-tiaojie_session=[a-z0-9]{32,}$/)
      expect(attributes.filter((a) => !a.startsWith('Max-Age=')).sort()).toEqual(['HttpOnly', 'Path=/', 'SameSite=Lax', 'Secure'])
      expect(line).not.toMatch(/domain=/i)
      expect(await signedIn(pair!)).toBe(true)
      // The development name means nothing in production.
      expect(await signedIn(pair!.replace('__Host-', ''))).toBe(false)
    } finally {
      process.env.NODE_ENV = before
      resetEnvCache()
    }
  })
})

describe('session tokens', () => {
  it('carry at least 128 bits, and the database holds only their SHA-256', async () => {
    const { username, userId } = await newAccount()
    const cookie = await signInAs(username, PASSWORD)
    const token = tokenOf(cookie)
    // Lucia's ids: 25 random bytes in base32, 40 characters.
    expect(token.length * 5).toBeGreaterThanOrEqual(128)
    const rows = await sessionRows(userId)
    expect(rows).toHaveLength(1)
    expect(rows[0]!.id).toBe(sha256(token))
    // Nothing the database holds contains the token itself.
    for (const table of ['sessions', 'users', 'audit_log', 'sign_in_throttle', 'setup_tokens'] as const) {
      const dump = JSON.stringify(await testDb().selectFrom(table).selectAll().execute())
      expect(dump).not.toContain(token)
    }
    // And the stored hash is not a usable token.
    expect(await signedIn(`tiaojie_session=${rows[0]!.id}`)).toBe(false)
  })

  it('are refused when tampered with', async () => {
    const { username } = await newAccount()
    const cookie = await signInAs(username, PASSWORD)
    expect(await signedIn(cookie)).toBe(true)
    const last = cookie.at(-1)
    const tampered = cookie.slice(0, -1) + (last === 'a' ? 'b' : 'a')
    expect(await signedIn(tampered)).toBe(false)
    expect(await signedIn(`${cookie}x`)).toBe(false)
    // The signed-in area sends the tampered cookie to the sign-in page and clears it.
    const result = await callRoute(appLoader as never, makeRequest('/account', { cookie: tampered }))
    expect(result.status).toBe(302)
    expect(locationOf(result)).toBe('/login?redirectTo=%2Faccount')
    expect(setCookieLine(result, 'tiaojie_session')).toMatch(/Max-Age=0/)
  })
})

describe('signing in', () => {
  it('starts a new session and deletes the one the browser carried', async () => {
    const { username, userId } = await newAccount()
    const planted = await signInAs(username, PASSWORD)
    const fresh = await signInAs(username, PASSWORD, planted)
    expect(fresh).not.toBe(planted)
    expect(await signedIn(planted)).toBe(false)
    expect(await signedIn(fresh)).toBe(true)
    expect(await sessionRows(userId)).toHaveLength(1)
  })

  it('gives the same answer for an unknown account, a wrong password and a disabled account, after running argon2 each time', async () => {
    const { username } = await newAccount()
    const disabled = await newAccount({ status: 'disabled' })
    const answers = []
    for (const [name, password] of [
      ['nobody.here', PASSWORD],
      [username, 'wrong-password-1'],
      [disabled.username, PASSWORD],
    ] as const) {
      vi.mocked(argon2.verify).mockClear()
      const result = await postLogin(name, password)
      expect(vi.mocked(argon2.verify)).toHaveBeenCalledTimes(1)
      answers.push({ status: result.status, errors: formErrorsOf(result), cookie: setCookieLine(result, 'tiaojie_session') })
    }
    expect(answers[0]).toEqual({ status: 400, errors: ['auth.signIn.failed'], cookie: undefined })
    expect(answers[1]).toEqual(answers[0])
    expect(answers[2]).toEqual(answers[0])
  })

  it('records every attempt in the audit log, without the password', async () => {
    const { username, userId } = await newAccount()
    await postLogin(username, 'wrong-password-2')
    await signInAs(username, PASSWORD)
    const rows = await testDb().selectFrom('audit_log').selectAll().where('username', '=', username).orderBy('at').orderBy('id').execute()
    expect(rows.map((r) => [r.action, r.result])).toEqual([
      ['auth.sign_in', 'failed'],
      ['auth.sign_in', 'ok'],
    ])
    expect(rows[1]!.user_id).toBe(userId)
    expect(JSON.stringify(rows)).not.toContain('wrong-password-2')
    expect(JSON.stringify(rows)).not.toContain(PASSWORD)
  })
})

describe('session lifetime', () => {
  it('ends after 30 minutes without use', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(T0)
    const { username, userId } = await newAccount()
    const cookie = await signInAs(username, PASSWORD)
    vi.setSystemTime(T0 + 29 * MINUTE)
    expect(await signedIn(cookie)).toBe(true)
    // Idle time counts from the last use.
    vi.setSystemTime(T0 + 58 * MINUTE)
    expect(await signedIn(cookie)).toBe(true)
    vi.setSystemTime(T0 + 88 * MINUTE + 1000)
    expect(await signedIn(cookie)).toBe(false)
    expect(await sessionRows(userId)).toEqual([])
  })

  it('ends 12 hours after sign-in however busy it is', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(T0)
    const { username, userId } = await newAccount()
    const cookie = await signInAs(username, PASSWORD)
    for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
      vi.setSystemTime(T0 + minutes * MINUTE)
      expect(await signedIn(cookie)).toBe(true)
    }
    vi.setSystemTime(T0 + 12 * 60 * MINUTE - 1000)
    expect(await signedIn(cookie)).toBe(true)
    vi.setSystemTime(T0 + 12 * 60 * MINUTE + 1000)
    expect(await signedIn(cookie)).toBe(false)
    expect(await sessionRows(userId)).toEqual([])
  })

  it('ends at sign-out: the row is deleted and the cookie cleared', async () => {
    const { username, userId } = await newAccount()
    const cookie = await signInAs(username, PASSWORD)
    const result = await callRoute(logoutAction as never, makeRequest('/logout', { method: 'POST', cookie }))
    expect(result.status).toBe(302)
    expect(locationOf(result)).toBe('/login')
    expect(setCookieLine(result, 'tiaojie_session')).toMatch(/Max-Age=0/)
    expect(await sessionRows(userId)).toEqual([])
    expect(await signedIn(cookie)).toBe(false)
  })

  it('ends for a user disabled meanwhile, on their next request', async () => {
    const { username, userId } = await newAccount()
    const cookie = await signInAs(username, PASSWORD)
    await testDb().updateTable('users').set({ status: 'disabled' }).where('id', '=', userId).execute()
    const result = await callRoute(appLoader as never, makeRequest('/', { cookie }))
    expect(result.status).toBe(302)
    expect(locationOf(result)).toMatch(/^\/login/)
    expect(await sessionRows(userId)).toEqual([])
    // Enabling the account again does not bring the old session back.
    await testDb().updateTable('users').set({ status: 'active' }).where('id', '=', userId).execute()
    expect(await signedIn(cookie)).toBe(false)
  })
})

describe('throttling per account', () => {
  it('locks after 5 failures, says for how long, and does not run argon2 while locked', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(T0)
    const { username } = await newAccount()
    for (let i = 1; i <= THROTTLE.freeFailures; i++) {
      const result = await postLogin(username, `wrong-${i}`)
      expect(formErrorsOf(result)).toEqual(['auth.signIn.failed'])
    }
    vi.mocked(argon2.verify).mockClear()
    vi.mocked(argon2.hash).mockClear()
    const locked = await postLogin(username, PASSWORD)
    expect(locked.status).toBe(429)
    expect(formErrorsOf(locked)).toEqual(['auth.signIn.throttled?minutes=1'])
    expect(setCookieLine(locked, 'tiaojie_session')).toBeUndefined()
    expect(vi.mocked(argon2.verify)).not.toHaveBeenCalled()
    expect(vi.mocked(argon2.hash)).not.toHaveBeenCalled()
  })

  it('keeps the lock in the database, so a restart does not lift it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(T0)
    const { username } = await newAccount()
    for (let i = 1; i <= THROTTLE.freeFailures; i++) await postLogin(username, `wrong-${i}`)
    const row = await testDb().selectFrom('sign_in_throttle').selectAll().where('key', '=', `account:${username}`).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ failures: 5, locked_until: new Date(T0 + MINUTE).toISOString() })
    // A fresh connection (as after a restart) sees the same lock.
    await closeDb()
    expect(formErrorsOf(await postLogin(username, PASSWORD))).toEqual(['auth.signIn.throttled?minutes=1'])
  })

  it('lets the user in once the lock has passed, and locks longer after each further failure', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(T0)
    const { username } = await newAccount()
    for (let i = 1; i <= THROTTLE.freeFailures; i++) await postLogin(username, `wrong-${i}`)
    vi.setSystemTime(T0 + MINUTE + 1000)
    expect(formErrorsOf(await postLogin(username, 'wrong-6'))).toEqual(['auth.signIn.failed'])
    expect(formErrorsOf(await postLogin(username, PASSWORD))).toEqual(['auth.signIn.throttled?minutes=2'])
    vi.setSystemTime(T0 + 3 * MINUTE + 2000)
    expect((await postLogin(username, PASSWORD)).status).toBe(302)
  })

  it('clears the failures after a successful sign-in', async () => {
    const { username } = await newAccount()
    for (let i = 1; i <= 4; i++) await postLogin(username, `wrong-${i}`)
    await signInAs(username, PASSWORD)
    expect(await testDb().selectFrom('sign_in_throttle').selectAll().where('key', '=', `account:${username}`).execute()).toEqual([])
    // Counting starts again: four more failures do not lock.
    for (let i = 1; i <= 4; i++) await postLogin(username, `wrong-again-${i}`)
    expect((await postLogin(username, PASSWORD)).status).toBe(302)
  })
})

describe('throttling per address', () => {
  it('answers an address that used up its attempts without running argon2; other addresses are unaffected', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(T0)
    const { username } = await newAccount()
    const spray = '198.51.100.7'
    // One address trying many accounts (one failure each, so no account lock is involved).
    for (let i = 0; i < THROTTLE.bucketCapacity; i++) {
      const result = await callRoute(loginAction as never, fromAddress(loginRequest(`spray.target${i}`, 'guess-123'), spray))
      expect(result.status).toBe(400)
    }
    vi.mocked(argon2.verify).mockClear()
    const refused = await callRoute(loginAction as never, fromAddress(loginRequest(username, PASSWORD), spray))
    expect(refused.status).toBe(429)
    expect(formErrorsOf(refused)).toEqual(['auth.signIn.addressThrottled'])
    expect(vi.mocked(argon2.verify)).not.toHaveBeenCalled()

    const elsewhere = await callRoute(loginAction as never, fromAddress(loginRequest(username, PASSWORD), '203.0.113.9'))
    expect(elsewhere.status).toBe(302)

    // The bucket refills: 20 seconds give one attempt back.
    vi.setSystemTime(T0 + 21_000)
    const later = await callRoute(loginAction as never, fromAddress(loginRequest(username, PASSWORD), spray))
    expect(later.status).toBe(302)
  })
})

describe('password hashes below the policy', () => {
  it('are replaced by an argon2id hash with the policy parameters at the next sign-in', async () => {
    const { username, userId } = await newAccount()
    // A hash made with weaker parameters (as an older release or an import might have left).
    const weak = await argon2.hash(PASSWORD, { algorithm: 2 /* argon2id */, memoryCost: 4096, timeCost: 1, parallelism: 1 })
    await testDb().updateTable('users').set({ password_hash: weak }).where('id', '=', userId).execute()

    const result = await postLogin(username, PASSWORD)
    expect(result.status).toBe(302)
    const stored = (await testDb().selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow())
      .password_hash!
    expect(stored).not.toBe(weak)
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    // The new hash still accepts the same password, and a second sign-in leaves it alone.
    expect(await argon2.verify(stored, PASSWORD)).toBe(true)
    await postLogin(username, PASSWORD)
    const again = (await testDb().selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow())
      .password_hash
    expect(again).toBe(stored)
  })
})
