/**
 * Helpers of the security e2e files: plain HTTP against the running server (no browser), and
 * sessions minted in the server's database exactly as a completed sign-in leaves them (SHA-256 of
 * a random token in `sessions`), so a role's pages can be crawled whatever its sign-in steps are
 * (a second factor for staff roles). Sign-in itself is tested through HTTP with the mediator.
 */
import { createHash, randomBytes } from 'node:crypto'
import { expect } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import { DEMO_PASSWORD } from './accounts.ts'
import { baseUrl } from './browser.ts'
import { e2eDb } from './database.ts'

/** The e2e server runs with NODE_ENV=production: Secure cookies with the __Host- prefix. */
export const SESSION_COOKIE = '__Host-tiaojie_session'

export const origin = (): string => new URL(baseUrl()).origin

export function url(path: string): string {
  return `${baseUrl()}${path}`
}

/** A GET (or other) request that never follows redirects. */
export function get(path: string, cookie?: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url(path), { redirect: 'manual', headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers } })
}

export function postForm(
  path: string,
  form: Record<string, string> | URLSearchParams,
  options: { cookie?: string; origin?: string | null; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', ...options.headers }
  const sentOrigin = options.origin === undefined ? origin() : options.origin
  if (sentOrigin !== null) headers.Origin = sentOrigin
  if (options.cookie) headers.Cookie = options.cookie
  return fetch(url(path), { method: 'POST', redirect: 'manual', headers, body: new URLSearchParams(form) })
}

/** Signs in through POST /login (the way a browser without JavaScript does) and returns the response. */
export function postLogin(username: string, password = DEMO_PASSWORD, cookie?: string): Promise<Response> {
  return postForm('/login', { username, password, redirectTo: '/' }, { cookie })
}

/** The session cookie's Set-Cookie line of a response. */
export function sessionSetCookie(response: Response): string | undefined {
  return response.headers.getSetCookie().find((line) => line.startsWith(`${SESSION_COOKIE}=`))
}

export function cookiePair(line: string): string {
  return line.split(';')[0]!
}

/** Signs a user without a second factor in over HTTP and returns `name=value`. */
export async function signInOverHttp(username: string, password = DEMO_PASSWORD, cookie?: string): Promise<string> {
  const response = await postLogin(username, password, cookie)
  expect(response.status, `sign-in of ${username}`).toBe(302)
  const line = sessionSetCookie(response)
  expect(line, `sign-in of ${username} set no session cookie`).toBeDefined()
  return cookiePair(line!)
}

/** True when the cookie opens the signed-in area. */
export async function isSignedIn(cookie: string): Promise<boolean> {
  const response = await get('/account', cookie)
  await response.body?.cancel()
  if (response.status === 200) return true
  expect(response.status).toBe(302)
  expect(response.headers.get('location')).toMatch(/^\/login/)
  return false
}

/** A live session for a demo user, written as the app writes one; returns the Cookie header value. */
export async function mintSession(username: string): Promise<string> {
  const user = await e2eDb().selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()
  const token = randomBytes(25).toString('hex')
  const now = new Date()
  await e2eDb()
    .insertInto('sessions')
    .values({
      id: createHash('sha256').update(token).digest('hex'),
      user_id: user.id,
      created_at: now.toISOString(),
      last_used_at: now.toISOString(),
      expires_at: new Date(now.getTime() + 3600_000).toISOString(),
      ip: '127.0.0.1',
      user_agent: `security-e2e ${newId()}`,
    })
    .execute()
  return `${SESSION_COOKIE}=${token}`
}
