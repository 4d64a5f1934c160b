/**
 * Calling Remix loaders and actions directly in database tests, the way Remix would: whatever
 * they return or throw (a redirect, a `data()` with a status, a Response) comes back as one shape.
 * Plus sign-in through the real login action, so tests carry real session cookies.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { takeFlash } from '#app/lib/flash.server.ts'
import { CLIENT_ADDRESS_HEADER } from '#app/lib/request.server.ts'
import { action as loginAction } from '#app/routes/login.tsx'
import { makeRequest } from '#tests/fixtures/request.ts'
import { testDb } from '#tests/fixtures/db.ts'
import { writeSetting } from '#app/lib/settings.server.ts'
import { TWO_FACTOR_SETTINGS } from '#app/modules/auth/two-factor-settings.server.ts'

export interface RouteResult {
  status: number
  headers: Headers
  /** The loader's or action's data (a `data()` payload or a plain return); null for Responses. */
  data: any
  /** True when it was thrown rather than returned. */
  thrown: boolean
}

type RouteFunction = (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown

function isDataWithInit(value: unknown): value is { type: 'DataWithResponseInit'; data: unknown; init: ResponseInit | null } {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'DataWithResponseInit'
}

export async function callRoute(fn: RouteFunction, request: Request, params: Record<string, string> = {}): Promise<RouteResult> {
  let outcome: unknown
  let thrown = false
  try {
    outcome = await fn({ request, params, context: {} })
  } catch (error) {
    if (!(error instanceof Response) && !isDataWithInit(error)) throw error
    outcome = error
    thrown = true
  }
  if (outcome instanceof Response) return { status: outcome.status, headers: outcome.headers, data: null, thrown }
  if (isDataWithInit(outcome)) {
    return { status: outcome.init?.status ?? 200, headers: new Headers(outcome.init?.headers), data: outcome.data, thrown }
  }
  return { status: 200, headers: new Headers(), data: outcome, thrown }
}

/** The full Set-Cookie line for a cookie name, or undefined. */
export function setCookieLine(result: RouteResult, name: string | RegExp): string | undefined {
  const matches = (line: string) => (typeof name === 'string' ? line.startsWith(`${name}=`) : name.test(line.split('=')[0]!))
  return result.headers.getSetCookie().find(matches)
}

/** `name=value` of a Set-Cookie line, ready for a Cookie header. */
export function cookiePair(line: string | undefined): string {
  if (!line) throw new Error('No such Set-Cookie header')
  return line.split(';')[0]!
}

/** The session cookie a response set, as `name=value`. */
export function sessionCookieOf(result: RouteResult): string {
  return cookiePair(setCookieLine(result, /^(__Host-)?tiaojie_session$/))
}

export function locationOf(result: RouteResult): string | null {
  return result.headers.get('Location')
}

/** The flash message a redirect carries. */
export async function flashOf(result: RouteResult) {
  const line = setCookieLine(result, 'tiaojie_flash')
  if (!line) return null
  return (await takeFlash(makeRequest('/', { cookie: cookiePair(line) }))).flash
}

/** The same request as if it came from another client address. */
export function fromAddress(request: Request, address: string): Request {
  const headers = new Headers(request.headers)
  headers.set(CLIENT_ADDRESS_HEADER, address)
  return new Request(request, { headers })
}

export function loginRequest(username: string, password: string, cookie?: string): Request {
  return makeRequest('/login', { form: { username, password, redirectTo: '/' }, cookie })
}

export async function postLogin(username: string, password: string, cookie?: string): Promise<RouteResult> {
  return callRoute(loginAction as RouteFunction, loginRequest(username, password, cookie))
}

/**
 * Turns off the second-factor requirement for roles in this file's database (production requires
 * it for admin, bureau and association roles). Tests about other things sign those roles in with a
 * password only, like the demo; app/modules/auth/two-factor.db.test.ts sets the requirement itself.
 */
export async function waiveTwoFactorRequirement(): Promise<void> {
  await writeSetting(testDb(), TWO_FACTOR_SETTINGS.requiredRoles, '', null)
}

/**
 * Signs in through the login action and returns the session cookie (`tiaojie_session=…`). The
 * second-factor requirement is waived first (see waiveTwoFactorRequirement).
 */
export async function signInAs(username: string, password: string, cookie?: string): Promise<string> {
  await waiveTwoFactorRequirement()
  const result = await postLogin(username, password, cookie)
  if (result.status !== 302) throw new Error(`Sign-in of ${username} failed with ${result.status}: ${JSON.stringify(result.data)}`)
  return sessionCookieOf(result)
}

/** The form-level errors of a conform reply. */
export function formErrorsOf(result: RouteResult): string[] | undefined {
  return result.data?.error?.['']
}

/** The errors of one field of a conform reply. */
export function fieldErrorsOf(result: RouteResult, field: string): string[] | undefined {
  return result.data?.error?.[field]
}
