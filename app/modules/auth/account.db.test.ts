/** "My account": password change with re-authentication, and the user's own sessions (checklist 5, 6, 15). */
import { beforeEach, describe, expect, it } from 'vitest'
import { action as accountAction, loader as accountLoader } from '#app/routes/_app.account.tsx'
import { testDb } from '#tests/fixtures/db.ts'
import { createOrganisation, createUser } from '#tests/fixtures/factories.ts'
import { makeRequest } from '#tests/fixtures/request.ts'
import { callRoute, fieldErrorsOf, flashOf, locationOf, setCookieLine, signInAs } from '#tests/auth/helpers.ts'
import { getOptionalUser } from './authz.server.ts'

const PASSWORD = 'first-password-ok'
const NEXT = 'second-password-ok'

let n = 0
async function newAccount() {
  const username = `account.user${++n}`
  const { user } = await createUser(testDb(), { username, password: PASSWORD, roles: [{ role: 'mediator' }] })
  return { username, userId: user.id }
}

const signedIn = async (cookie: string) => (await getOptionalUser(makeRequest('/', { cookie }))) !== null
const post = (cookie: string, form: Record<string, string>) => callRoute(accountAction as never, makeRequest('/account', { form, cookie }))
const changePassword = (cookie: string, currentPassword: string, password: string, confirm = password) =>
  post(cookie, { intent: 'change-password', currentPassword, password, confirm })
const hashOf = async (userId: string) =>
  (await testDb().selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow()).password_hash

beforeEach(async () => {
  await testDb().deleteFrom('sign_in_throttle').where('key', 'like', 'address:%').execute()
})

describe('changing the password', () => {
  it('needs the current password', async () => {
    const { username, userId } = await newAccount()
    const cookie = await signInAs(username, PASSWORD)
    const before = await hashOf(userId)
    const result = await changePassword(cookie, 'not-my-password', NEXT)
    expect(result.status).toBe(400)
    expect(fieldErrorsOf(result, 'currentPassword')).toEqual(['account.wrongPassword'])
    expect(JSON.stringify(result.data)).not.toContain(NEXT)
    expect(await hashOf(userId)).toBe(before)
    // A wrong current password counts as a failed sign-in.
    const throttle = await testDb().selectFrom('sign_in_throttle').selectAll().where('key', '=', `account:${username}`).executeTakeFirst()
    expect(throttle?.failures).toBe(1)
  })

  it('is refused while the account is locked, even with the right current password', async () => {
    const { username, userId } = await newAccount()
    const cookie = await signInAs(username, PASSWORD)
    for (let i = 0; i < 5; i++) await changePassword(cookie, `guess-${i}`, NEXT)
    const result = await changePassword(cookie, PASSWORD, NEXT)
    expect(result.status).toBe(429)
    expect(fieldErrorsOf(result, 'currentPassword')).toEqual(['auth.signIn.throttled?minutes=1'])
    expect(await signInAs(username, PASSWORD).catch((e: Error) => e.message)).toMatch(/failed with 429/)
    expect(await hashOf(userId)).not.toBeNull()
  })

  it('applies the password policy', async () => {
    const { username, userId } = await newAccount()
    const cookie = await signInAs(username, PASSWORD)
    const before = await hashOf(userId)
    expect(fieldErrorsOf(await changePassword(cookie, PASSWORD, 'short'), 'password')).toEqual(['auth.password.tooShort?min=8'])
    expect(fieldErrorsOf(await changePassword(cookie, PASSWORD, 'qwertyuiop'), 'password')).toEqual(['auth.password.common'])
    expect(fieldErrorsOf(await changePassword(cookie, PASSWORD, NEXT, 'typo'), 'confirm')).toEqual(['auth.password.mismatch'])
    expect(await hashOf(userId)).toBe(before)
  })

  it('stores the new password, keeps this session and ends every other one', async () => {
    const { username, userId } = await newAccount()
    const here = await signInAs(username, PASSWORD)
    const phone = await signInAs(username, PASSWORD)
    const result = await changePassword(here, PASSWORD, NEXT)
    expect(result.status).toBe(302)
    expect(locationOf(result)).toBe('/account')
    expect(await flashOf(result)).toEqual({ kind: 'success', message: 'account.passwordChanged' })
    expect(await signedIn(here)).toBe(true)
    expect(await signedIn(phone)).toBe(false)
    expect(await testDb().selectFrom('sessions').select('id').where('user_id', '=', userId).execute()).toHaveLength(1)
    await expect(signInAs(username, PASSWORD)).rejects.toThrow(/failed with 400/)
    expect(await signedIn(await signInAs(username, NEXT))).toBe(true)
    const audit = await testDb()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'account.password_changed')
      .where('user_id', '=', userId)
      .execute()
    expect(audit).toHaveLength(1)
    expect(JSON.parse(audit[0]!.detail!)).toEqual({ otherSessionsEnded: 1 })
    expect(JSON.stringify(audit)).not.toContain(NEXT)
  })

  it('needs 12 characters for a privileged account', async () => {
    const org = await createOrganisation(testDb(), { kind: 'association' })
    const { user } = await createUser(testDb(), {
      username: 'assoc.account',
      password: 'association-pass-1',
      roles: [{ role: 'association_admin', orgId: org.id }],
    })
    const cookie = await signInAs(user.username, 'association-pass-1')
    expect((await callRoute(accountLoader as never, makeRequest('/account', { cookie }))).data.passwordMin).toBe(12)
    expect(fieldErrorsOf(await changePassword(cookie, 'association-pass-1', 'eleven-char'), 'password')).toEqual([
      'auth.password.tooShort?min=12',
    ])
  })

  it('cannot change roles or scope: extra fields are ignored', async () => {
    const { username, userId } = await newAccount()
    const cookie = await signInAs(username, PASSWORD)
    const result = await post(cookie, {
      intent: 'change-password',
      currentPassword: PASSWORD,
      password: NEXT,
      confirm: NEXT,
      role: 'admin',
      status: 'active',
      userId: 'X',
    })
    expect(result.status).toBe(302)
    const grants = await testDb().selectFrom('role_grants').select('role').where('user_id', '=', userId).execute()
    expect(grants).toEqual([{ role: 'mediator' }])
  })
})

describe('my sessions', () => {
  it('lists my live sessions with the current one marked, by hash only', async () => {
    const { username } = await newAccount()
    const other = await signInAs(username, PASSWORD)
    const here = await signInAs(username, PASSWORD)
    const page = await callRoute(
      accountLoader as never,
      makeRequest('/account', { cookie: here, headers: { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' } }),
    )
    expect(page.status).toBe(200)
    expect(page.data.profile).toEqual({ username, displayName: username })
    expect(page.data.grants).toEqual([{ role: 'mediator', scopeName: null }])
    const sessions = page.data.sessions as { handle: string; current: boolean; ip: string | null }[]
    expect(sessions).toHaveLength(2)
    expect(sessions.filter((s) => s.current)).toHaveLength(1)
    expect(sessions.every((s) => /^[0-9a-f]{64}$/.test(s.handle) && s.ip === '127.0.0.1')).toBe(true)
    // No session token reaches the page.
    const serialized = JSON.stringify(page.data)
    for (const cookie of [here, other]) expect(serialized).not.toContain(cookie.split('=')[1])
  })

  it('ends one of my other sessions', async () => {
    const { username, userId } = await newAccount()
    const other = await signInAs(username, PASSWORD)
    const here = await signInAs(username, PASSWORD)
    const page = await callRoute(accountLoader as never, makeRequest('/account', { cookie: here }))
    const target = (page.data.sessions as { handle: string; current: boolean }[]).find((s) => !s.current)!
    const result = await post(here, { intent: 'end-session', handle: target.handle })
    expect(result.status).toBe(302)
    expect(await flashOf(result)).toEqual({ kind: 'success', message: 'account.sessions.ended' })
    expect(await signedIn(other)).toBe(false)
    expect(await signedIn(here)).toBe(true)
    const audit = await testDb()
      .selectFrom('audit_log')
      .select('action')
      .where('user_id', '=', userId)
      .where('action', '=', 'account.session_ended')
      .execute()
    expect(audit).toHaveLength(1)
  })

  it('cannot end somebody else’s session', async () => {
    const me = await newAccount()
    const them = await newAccount()
    const mine = await signInAs(me.username, PASSWORD)
    const theirs = await signInAs(them.username, PASSWORD)
    const [theirRow] = await testDb().selectFrom('sessions').select('id').where('user_id', '=', them.userId).execute()
    const result = await post(mine, { intent: 'end-session', handle: theirRow!.id })
    expect(await flashOf(result)).toEqual({ kind: 'error', message: 'account.sessions.gone' })
    expect(await signedIn(theirs)).toBe(true)
  })

  it('signs me out when I end the session I am using', async () => {
    const { username, userId } = await newAccount()
    const here = await signInAs(username, PASSWORD)
    const [row] = await testDb().selectFrom('sessions').select('id').where('user_id', '=', userId).execute()
    const result = await post(here, { intent: 'end-session', handle: row!.id })
    expect(locationOf(result)).toBe('/login')
    expect(setCookieLine(result, 'tiaojie_session')).toMatch(/Max-Age=0/)
    expect(await signedIn(here)).toBe(false)
  })

  it('is only for signed-in users', async () => {
    const page = await callRoute(accountLoader as never, makeRequest('/account'))
    expect(page.status).toBe(302)
    expect(locationOf(page)).toBe('/login?redirectTo=%2Faccount')
    const post = await callRoute(
      accountAction as never,
      makeRequest('/account', { form: { intent: 'end-session', handle: 'a'.repeat(64) } }),
    )
    expect(post.status).toBe(302)
    expect(locationOf(post)).toMatch(/^\/login/)
  })
})
