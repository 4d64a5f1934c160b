/**
 * Open redirects (security checklist 19): every parameter that names where to go next
 * (`redirectTo` of the sign-in and preferences forms, `back` of the grading attachment form) is
 * tried with absolute, protocol-relative, backslash, control-character and percent-encoded
 * targets. Whatever comes back must stay on this site when a browser resolves it, which is what
 * `new URL()` does (it strips tabs and newlines and reads `\` as `/`, as browsers do).
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { safeRedirectPath } from '#app/lib/http.server.ts'
import { action as uploadAction } from '#app/routes/_app.grading.attachments.upload.tsx'
import { action as loginAction } from '#app/routes/login.tsx'
import { action as preferencesAction } from '#app/routes/preferences.tsx'
import { callRoute, locationOf } from '#tests/auth/helpers.ts'
import { testDb } from '#tests/fixtures/db.ts'
import { createUser } from '#tests/fixtures/factories.ts'
import { makeRequest } from '#tests/fixtures/request.ts'
import { TEST_ORIGIN } from '#tests/fixtures/test-env.ts'
import { type World, buildWorld } from './world.ts'

/** Raw `application/x-www-form-urlencoded` values, so the percent-encoded ones are decoded by the app as a browser's post would be. */
const ATTEMPTS = [
  'https://evil.example/',
  'http:evil.example',
  '//evil.example',
  '///evil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '\\\\evil.example',
  'javascript:alert(1)',
  ' /\t/evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '/ /evil.example',
  '/\u0000/evil.example',
  '/%2F/evil.example',
  '/%5Cevil.example',
  '/.//evil.example',
  '/../../evil.example',
  'evil.example',
  '',
]

/** Attempts that are in fact paths on this site (kept, harmlessly); every other one is refused. */
const SAME_SITE_PATHS = new Set(['/%2F/evil.example', '/%5Cevil.example', '/../../evil.example'])

/** The same attempts as they would arrive percent-encoded once more (a crafted link). */
const ENCODED_BODIES = [
  'redirectTo=%2F%2Fevil.example',
  'redirectTo=%2F%5Cevil.example',
  'redirectTo=%2F%09%2Fevil.example',
  'redirectTo=https%3A%2F%2Fevil.example',
  'redirectTo=%5C%5Cevil.example',
]

/** Where a browser would go: must be this site. */
function expectSameSite(location: string | null, what: string): void {
  expect(location, what).not.toBeNull()
  expect(location!.startsWith('/'), `${what}: ${JSON.stringify(location)}`).toBe(true)
  expect(new URL(location!, TEST_ORIGIN).origin, `${what}: ${JSON.stringify(location)}`).toBe(TEST_ORIGIN)
}

const PASSWORD = 'open-redirect-tests-2026'
let world: World
let username: string

beforeAll(async () => {
  world = await buildWorld(testDb())
  username = 'redirect.mediator'
  await createUser(testDb(), { username, password: PASSWORD, roles: [{ role: 'mediator' }] })
})

beforeEach(async () => {
  await testDb().deleteFrom('sign_in_throttle').execute()
})

describe('safeRedirectPath', () => {
  it.each(ATTEMPTS)('keeps %j on this site', (target) => {
    const result = safeRedirectPath(target, '/fallback')
    expectSameSite(result, JSON.stringify(target))
    expect(result).not.toContain('evil.example/')
  })

  it('keeps ordinary paths with their query, normalised as a browser would', () => {
    expect(safeRedirectPath('/people?q=%E5%BC%A0&page=2#top')).toBe('/people?q=%E5%BC%A0&page=2#top')
    expect(safeRedirectPath('/grading/rounds/01J0000000000000000000000A')).toBe('/grading/rounds/01J0000000000000000000000A')
    expect(safeRedirectPath('/a/../b')).toBe('/b')
    expect(safeRedirectPath(null, '/x')).toBe('/x')
  })
})

describe('the sign-in form’s redirectTo', () => {
  it.each(ATTEMPTS)('signs in and stays on this site for %j', async (target) => {
    await testDb().deleteFrom('sign_in_throttle').execute()
    const result = await callRoute(
      loginAction as never,
      makeRequest('/login', { form: { username, password: PASSWORD, redirectTo: target } }),
    )
    expect(result.status).toBe(302)
    expectSameSite(locationOf(result), `redirectTo=${JSON.stringify(target)}`)
    // A refused target falls back to the home page, not to anything derived from it.
    if (!SAME_SITE_PATHS.has(target)) expect(locationOf(result)).toBe('/')
  })

  it.each(ENCODED_BODIES)('stays on this site for the raw body %s', async (body) => {
    await testDb().deleteFrom('sign_in_throttle').execute()
    const form = new URLSearchParams(`username=${username}&password=${PASSWORD}&${body}`)
    const result = await callRoute(loginAction as never, makeRequest('/login', { form }))
    expect(result.status).toBe(302)
    expect(locationOf(result)).toBe('/')
  })
})

describe('the redirectTo kept across the second sign-in step', () => {
  it('is stored only once it is known to stay on this site', async () => {
    // An administrator must use (or enrol) a second factor: the password leads to that step, and
    // the destination waits in two_factor_pending until it is done.
    const { user } = await createUser(testDb(), { username: 'redirect.admin', password: PASSWORD, roles: [{ role: 'admin' }] })
    for (const target of ATTEMPTS) {
      await testDb().deleteFrom('sign_in_throttle').execute()
      const result = await callRoute(
        loginAction as never,
        makeRequest('/login', { form: { username: 'redirect.admin', password: PASSWORD, redirectTo: target } }),
      )
      expect(result.status).toBe(302)
      expectSameSite(locationOf(result), `redirectTo=${JSON.stringify(target)}`)
      const pending = await testDb().selectFrom('two_factor_pending').select('redirect_to').where('user_id', '=', user.id).execute()
      expect(pending.length).toBeGreaterThan(0)
      for (const row of pending) expectSameSite(row.redirect_to, `stored for ${JSON.stringify(target)}`)
    }
  })
})

describe('the preferences form’s redirectTo', () => {
  it('stays on this site for every attempt, signed in or not', async () => {
    for (const cookie of [undefined, world.users.hdStaff.cookie]) {
      for (const target of ATTEMPTS) {
        const result = await callRoute(
          preferencesAction as never,
          makeRequest('/preferences', { form: { locale: 'en', redirectTo: target }, cookie }),
        )
        expect(result.status).toBe(302)
        expectSameSite(locationOf(result), `redirectTo=${JSON.stringify(target)}`)
      }
    }
    // And a real page is kept.
    const kept = await callRoute(
      preferencesAction as never,
      makeRequest('/preferences', { form: { locale: 'en', redirectTo: '/people?page=2' } }),
    )
    expect(locationOf(kept)).toBe('/people?page=2')
  })
})

describe('the grading attachment form’s back', () => {
  it('stays on this site whether back comes in the form or in the URL', async () => {
    for (const target of ATTEMPTS) {
      const form = new FormData()
      form.set('personId', world.people.hdMediator.id)
      form.set('back', target)
      const inForm = await callRoute(
        uploadAction as never,
        makeRequest('/grading/attachments/upload', { form, cookie: world.users.mediator.cookie }),
      )
      expect(inForm.status).toBe(302)
      expectSameSite(locationOf(inForm), `back=${JSON.stringify(target)} in the form`)

      const inUrl = await callRoute(
        uploadAction as never,
        makeRequest(`/grading/attachments/upload?back=${encodeURIComponent(target)}`, {
          form: new FormData(),
          cookie: world.users.mediator.cookie,
        }),
      )
      expect(inUrl.status).toBe(302)
      expectSameSite(locationOf(inUrl), `back=${JSON.stringify(target)} in the URL`)
    }
  })
})
