/** One-time set-up and reset links, through the /setup/$token route (security checklist 1, 5, 8). */
import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { loader as setupLoader, action as setupAction } from '#app/routes/setup.$token.tsx'
import { testDb } from '#tests/fixtures/db.ts'
import { createUser } from '#tests/fixtures/factories.ts'
import { makeRequest } from '#tests/fixtures/request.ts'
import { type RouteResult, callRoute, fieldErrorsOf, flashOf, locationOf, sessionCookieOf, signInAs } from '#tests/auth/helpers.ts'
import { getOptionalUser } from './authz.server.ts'
import type { Role } from '#db/schema.ts'
import { completeSetup, findSetupTarget, issueSetupToken } from './setup-tokens.server.ts'

const NEW_PASSWORD = 'quiet-harbour-lights'
const T0 = Date.parse('2026-11-23T08:00:00.000Z')
const HOUR = 3600_000

let n = 0
async function newAccount(options: { password?: string; role?: Role; status?: 'active' | 'disabled' } = {}) {
  const username = `setup.user${++n}`
  const { user } = await createUser(testDb(), {
    username,
    password: options.password,
    status: options.status,
    roles: [{ role: options.role ?? 'mediator' }],
  })
  return { username, userId: user.id }
}

const open = (token: string) => callRoute(setupLoader as never, makeRequest(`/setup/${token}`), { token })
const submit = (token: string, password: string, confirm = password, cookie?: string) =>
  callRoute(setupAction as never, makeRequest(`/setup/${token}`, { form: { password, confirm }, cookie }), { token })
const signedIn = async (cookie: string) => (await getOptionalUser(makeRequest('/', { cookie }))) !== null
const userRow = (id: string) => testDb().selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

/** What an unusable link answers: the same for every reason. */
function expectInvalid(result: RouteResult) {
  expect(result).toMatchObject({ status: 404, thrown: true, data: { reason: 'invalid-link' } })
  expect(result.headers.get('Cache-Control')).toBe('no-store')
}

afterEach(() => {
  vi.useRealTimers()
})

describe('a set-up link', () => {
  it('is 32 random bytes, and only its SHA-256 is stored', async () => {
    const { userId } = await newAccount()
    const { token } = await issueSetupToken(testDb(), userId, 'setup', null)
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const rows = await testDb().selectFrom('setup_tokens').selectAll().where('user_id', '=', userId).execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]!.token_hash).toBe(createHash('sha256').update(token).digest('hex'))
    expect(JSON.stringify(rows)).not.toContain(token)
  })

  it('shows the account and sets the password, signs the user in and is spent', async () => {
    const { username, userId } = await newAccount()
    const { token } = await issueSetupToken(testDb(), userId, 'setup', null)
    const page = await open(token)
    expect(page.status).toBe(200)
    expect(page.data).toEqual({ username, purpose: 'setup', passwordMin: 8 })

    const result = await submit(token, NEW_PASSWORD)
    expect(result.status).toBe(302)
    expect(locationOf(result)).toBe('/')
    expect(await flashOf(result)).toEqual({ kind: 'success', message: 'auth.setup.done' })
    const cookie = sessionCookieOf(result)
    expect(await signedIn(cookie)).toBe(true)

    const user = await userRow(userId)
    expect(user.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    expect(user.password_changed_at).not.toBeNull()
    const [row] = await testDb().selectFrom('setup_tokens').selectAll().where('user_id', '=', userId).execute()
    expect(row!.used_at).not.toBeNull()
    const audits = await testDb()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'auth.setup_completed')
      .where('record_id', '=', userId)
      .execute()
    expect(audits).toHaveLength(1)
    expect(JSON.stringify(audits)).not.toContain(token)
    expect(JSON.stringify(audits)).not.toContain(NEW_PASSWORD)

    // The new password works at the sign-in page.
    expect(await signedIn(await signInAs(username, NEW_PASSWORD))).toBe(true)
  })

  it('works once', async () => {
    const { userId } = await newAccount()
    const { token } = await issueSetupToken(testDb(), userId, 'setup', null)
    expect((await submit(token, NEW_PASSWORD)).status).toBe(302)
    const hash = (await userRow(userId)).password_hash
    expectInvalid(await open(token))
    expectInvalid(await submit(token, 'another-password-entirely'))
    expect((await userRow(userId)).password_hash).toBe(hash)
  })

  it('lets only one of two simultaneous uses win (two tabs, a double click)', async () => {
    const { userId } = await newAccount()
    const { token } = await issueSetupToken(testDb(), userId, 'setup', null)
    // Both requests have looked the link up before either spends it.
    const [first, second] = await Promise.all([findSetupTarget(testDb(), token), findSetupTarget(testDb(), token)])
    expect(await completeSetup(testDb(), first!, 'hash-from-the-first-tab')).toBe(true)
    expect(await completeSetup(testDb(), second!, 'hash-from-the-second-tab')).toBe(false)
    expect((await userRow(userId)).password_hash).toBe('hash-from-the-first-tab')
  })

  it('is not spent when the account was disabled after the link was opened', async () => {
    const { userId } = await newAccount()
    const { token } = await issueSetupToken(testDb(), userId, 'setup', null)
    const target = await findSetupTarget(testDb(), token)
    await testDb().updateTable('users').set({ status: 'disabled' }).where('id', '=', userId).execute()
    expect(await completeSetup(testDb(), target!, 'some-hash')).toBe(false)
    const [row] = await testDb().selectFrom('setup_tokens').select('used_at').where('user_id', '=', userId).execute()
    expect(row!.used_at).toBeNull()
    expect((await userRow(userId)).password_hash).toBeNull()
  })

  it('expires after 72 hours', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(T0)
    const { userId } = await newAccount()
    const { token, expiresAt } = await issueSetupToken(testDb(), userId, 'setup', null)
    expect(expiresAt).toBe(new Date(T0 + 72 * HOUR).toISOString())
    vi.setSystemTime(T0 + 72 * HOUR - 1000)
    expect((await open(token)).status).toBe(200)
    vi.setSystemTime(T0 + 72 * HOUR + 1000)
    expectInvalid(await open(token))
    expectInvalid(await submit(token, NEW_PASSWORD))
    expect((await userRow(userId)).password_hash).toBeNull()
  })

  it('stops working when a newer link is issued for the same user', async () => {
    const { userId } = await newAccount()
    const first = await issueSetupToken(testDb(), userId, 'setup', null)
    const second = await issueSetupToken(testDb(), userId, 'setup', null)
    expectInvalid(await open(first.token))
    expect((await open(second.token)).status).toBe(200)
  })

  it('does not open a disabled account', async () => {
    const { userId } = await newAccount({ status: 'disabled' })
    const { token } = await issueSetupToken(testDb(), userId, 'setup', null)
    expectInvalid(await open(token))
    expectInvalid(await submit(token, NEW_PASSWORD))
  })

  it('answers unknown and malformed links the same way as spent ones', async () => {
    expectInvalid(await open('A'.repeat(43)))
    expectInvalid(await open('not-a-token'))
    expectInvalid(await submit('A'.repeat(43), NEW_PASSWORD))
  })
})

describe('the new password', () => {
  it('must be confirmed and follow the policy; nothing is spent until it does', async () => {
    const { username, userId } = await newAccount()
    const { token } = await issueSetupToken(testDb(), userId, 'setup', null)
    const mismatch = await submit(token, NEW_PASSWORD, 'something-else')
    expect(mismatch.status).toBe(400)
    expect(fieldErrorsOf(mismatch, 'confirm')).toEqual(['auth.password.mismatch'])
    expect(fieldErrorsOf(await submit(token, 'short'), 'password')).toEqual(['auth.password.tooShort?min=8'])
    expect(fieldErrorsOf(await submit(token, 'password123'), 'password')).toEqual(['auth.password.common'])
    expect(fieldErrorsOf(await submit(token, `${username}-2026`), 'password')).toEqual(['auth.password.containsUsername'])
    // The password never travels back to the form.
    expect(JSON.stringify(mismatch.data)).not.toContain(NEW_PASSWORD)
    expect((await userRow(userId)).password_hash).toBeNull()
    expect((await open(token)).status).toBe(200)
  })

  it('needs 12 characters for privileged roles', async () => {
    const { userId } = await newAccount({ role: 'auditor' })
    const { token } = await issueSetupToken(testDb(), userId, 'setup', null)
    expect((await open(token)).data.passwordMin).toBe(12)
    expect(fieldErrorsOf(await submit(token, 'eleven-char'), 'password')).toEqual(['auth.password.tooShort?min=12'])
    expect((await submit(token, 'twelve-chars')).status).toBe(302)
  })
})

describe('a password-reset link', () => {
  it('replaces the password and ends every session the user had', async () => {
    const { username, userId } = await newAccount({ password: 'old-password-here' })
    const elsewhere = await signInAs(username, 'old-password-here')
    const { token } = await issueSetupToken(testDb(), userId, 'reset', null)
    expect((await open(token)).data.purpose).toBe('reset')
    const result = await submit(token, NEW_PASSWORD)
    expect(result.status).toBe(302)
    expect(await signedIn(elsewhere)).toBe(false)
    expect(await signedIn(sessionCookieOf(result))).toBe(true)
    const sessions = await testDb().selectFrom('sessions').selectAll().where('user_id', '=', userId).execute()
    expect(sessions).toHaveLength(1)
    await expect(signInAs(username, 'old-password-here')).rejects.toThrow(/failed with 400/)
  })

  it('clears the failed attempts that locked the account', async () => {
    const { username, userId } = await newAccount({ password: 'old-password-here' })
    await testDb()
      .insertInto('sign_in_throttle')
      .values({
        key: `account:${username}`,
        failures: 9,
        locked_until: new Date(Date.now() + 15 * 60_000).toISOString(),
        bucket_milli: 0,
        updated_at: new Date().toISOString(),
      })
      .execute()
    const { token } = await issueSetupToken(testDb(), userId, 'reset', null)
    await submit(token, NEW_PASSWORD)
    expect(await signedIn(await signInAs(username, NEW_PASSWORD))).toBe(true)
  })
})
