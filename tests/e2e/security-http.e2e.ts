/**
 * The attack suite's HTTP part (security checklist 2, 3, 5, 10, 20, 21), against the running
 * production build: the exact session cookie, a planted cookie, sign-out, identical answers for an
 * unknown account and a wrong password, cross-site and look-alike origins, and the security
 * headers on every kind of response. docs/security-tests.md maps each checklist item to its tests.
 */
import { createHash } from 'node:crypto'
import http from 'node:http'
import { describe, expect, it } from 'vitest'
import { e2eDb } from './database.ts'
import {
  SESSION_COOKIE,
  cookiePair,
  get,
  isSignedIn,
  mintSession,
  origin,
  postForm,
  postLogin,
  sessionSetCookie,
  signInOverHttp,
  url,
} from './security-helpers.ts'

const sessionRow = (cookie: string) =>
  e2eDb()
    .selectFrom('sessions')
    .select('id')
    .where(
      'id',
      '=',
      createHash('sha256')
        .update(cookie.slice(cookie.indexOf('=') + 1))
        .digest('hex'),
    )
    .executeTakeFirst()

describe('the session cookie over HTTP', () => {
  it('is exactly __Host-tiaojie_session=…; Max-Age; Path=/; HttpOnly; Secure; SameSite=Lax, with no Domain', async () => {
    const response = await postLogin('mediator')
    expect(response.status).toBe(302)
    const line = sessionSetCookie(response)!
    const [pair, ...attributes] = line.split('; ')
    expect(pair).toMatch(new RegExp(`^${SESSION_COOKIE}=[a-z0-9]{40}$`))
    expect(attributes.filter((a) => !a.startsWith('Max-Age=')).sort()).toEqual(['HttpOnly', 'Path=/', 'SameSite=Lax', 'Secure'])
    expect(attributes.filter((a) => /^Max-Age=\d+$/.test(a))).toHaveLength(1)
    expect(line).not.toMatch(/domain=/i)
    // The development name is not a session in production.
    expect(await isSignedIn(pair!)).toBe(true)
    expect(await isSignedIn(pair!.replace('__Host-', ''))).toBe(false)
  })

  it('is replaced at sign-in: a planted value and a previous session no longer work', async () => {
    // An attacker fixes a cookie in the victim's browser, then the victim signs in.
    const planted = `${SESSION_COOKIE}=${'a'.repeat(40)}`
    const first = await signInOverHttp('mediator', undefined, planted)
    expect(first).not.toBe(planted)
    expect(await isSignedIn(planted)).toBe(false)
    // Signing in again with a live session ends that session.
    const second = await signInOverHttp('mediator', undefined, first)
    expect(second).not.toBe(first)
    expect(await isSignedIn(first)).toBe(false)
    expect(await sessionRow(first)).toBeUndefined()
    expect(await isSignedIn(second)).toBe(true)
  })

  it('is cleared at sign-out, and the session row is gone', async () => {
    const cookie = await signInOverHttp('mediator')
    expect(await sessionRow(cookie)).toBeDefined()
    const response = await postForm('/logout', {}, { cookie })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/login')
    const cleared = sessionSetCookie(response)!
    expect(cleared).toMatch(/Max-Age=0/)
    expect(cookiePair(cleared)).toBe(`${SESSION_COOKIE}=`)
    expect(await sessionRow(cookie)).toBeUndefined()
    expect(await isSignedIn(cookie)).toBe(false)
  })
})

describe('sign-in answers', () => {
  /** The page without what differs per request (CSP nonces) or per attempt (the typed username). */
  async function answerOf(username: string, password: string) {
    const started = performance.now()
    const response = await postLogin(username, password)
    const body = await response.text()
    const elapsed = performance.now() - started
    const nonce = /nonce-([^']+)'/.exec(response.headers.get('content-security-policy') ?? '')?.[1] ?? 'none'
    return {
      status: response.status,
      cookies: response.headers.getSetCookie().filter((l) => l.startsWith(SESSION_COOKIE)),
      body: body.replaceAll(nonce, 'NONCE').replaceAll(username, 'USERNAME'),
      elapsed,
    }
  }

  it('are the same page, with similar timing, for an unknown account and a wrong password', async () => {
    const unknown: Awaited<ReturnType<typeof answerOf>>[] = []
    const wrong: Awaited<ReturnType<typeof answerOf>>[] = []
    // Alternate, so a busy moment of the machine hurts both alike; three tries stay under the account lock.
    for (let i = 0; i < 3; i++) {
      unknown.push(await answerOf(`nobody${i}.here`, 'a-wrong-password-1'))
      wrong.push(await answerOf('mediator', 'a-wrong-password-1'))
    }
    expect(unknown[0]!.status).toBe(400)
    expect(unknown[0]!.cookies).toEqual([])
    expect(wrong[0]!.status).toBe(unknown[0]!.status)
    expect(wrong[0]!.cookies).toEqual([])
    expect(wrong[0]!.body).toBe(unknown[0]!.body)
    // Both run argon2 (a dummy hash for unknown accounts): neither answers in a fraction of the other's time.
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[1]!
    const ratio = median(wrong.map((a) => a.elapsed)) / median(unknown.map((a) => a.elapsed))
    expect(ratio, `wrong password ${ratio.toFixed(2)}× the unknown account's time`).toBeGreaterThan(1 / 3)
    expect(ratio).toBeLessThan(3)
  })
})

describe('cross-site requests (CSRF)', () => {
  const lookAlikes = () => {
    const own = new URL(origin())
    return [
      'https://evil.example',
      `${own.origin}.evil.example`,
      `http://localhost:${own.port}.evil.example`,
      `http://127.0.0.1:${own.port}.evil.example`,
      `http://evil.example/${own.host}`,
      `https://${own.host}`,
      `http://${own.hostname}:${Number(own.port) + 1}`,
      `${own.origin}/`,
      own.origin.toUpperCase(),
      'null',
      '',
    ]
  }

  it('refuses every non-GET request with a foreign, look-alike or missing Origin with 403, and changes nothing', async () => {
    const cookie = await mintSession('hd.staff')
    const attempts: [string, Record<string, string>][] = [
      ['/logout', {}],
      ['/preferences', { locale: 'en', redirectTo: '/' }],
      ['/login', { username: 'mediator', password: 'Tiaojie-Demo-2026', redirectTo: '/' }],
      ['/account', { intent: 'password', currentPassword: 'x', password: 'y', confirm: 'y' }],
    ]
    for (const [path, form] of attempts) {
      for (const sent of [...lookAlikes(), null]) {
        const response = await postForm(path, form, {
          cookie,
          origin: sent,
          // A Referer from the app itself does not stand in for the Origin.
          headers: sent === null ? { Referer: `${origin()}/` } : {},
        })
        expect(response.status, `POST ${path} with Origin ${JSON.stringify(sent)}`).toBe(403)
        expect(response.headers.getSetCookie(), `POST ${path} with Origin ${JSON.stringify(sent)}`).toEqual([])
        expect(await response.text()).toContain('请求来源无效')
      }
    }
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const response = await fetch(url('/people'), {
        method,
        redirect: 'manual',
        headers: { Cookie: cookie, Origin: 'https://evil.example' },
      })
      expect(response.status, method).toBe(403)
    }
    // The session survived every refused sign-out.
    expect(await isSignedIn(cookie)).toBe(true)
  })

  it('does not let a path that only looks like the API skip the check (raw `%2e%2e` segments)', async () => {
    const cookie = await mintSession('hd.staff')
    const { hostname, port } = new URL(origin())
    for (const path of ['/api/v1/%2e%2e/%2e%2e/logout', '/api/v1/%2E%2E/.%2e/logout', '/api/v1/cases/%2e%2e/%2e%2e/%2e%2e/preferences']) {
      // fetch() would resolve the dots itself; a raw request sends the path as written.
      const status = await new Promise<number>((resolve, reject) => {
        const request = http.request({ host: hostname, port, method: 'POST', path, headers: { Cookie: cookie } }, (response) => {
          response.resume()
          resolve(response.statusCode ?? 0)
        })
        request.on('error', reject)
        request.end()
      })
      expect(status, path).toBe(403)
    }
    expect(await isSignedIn(cookie)).toBe(true)
  })

  it('changes no state on GET: signing out and preferences need a POST', async () => {
    const cookie = await mintSession('hd.staff')
    const logout = await get('/logout', cookie)
    expect(logout.status).toBe(302)
    expect(logout.headers.get('location')).toBe('/')
    expect(logout.headers.getSetCookie()).toEqual([])
    expect(await isSignedIn(cookie)).toBe(true)
    const preferences = await get('/preferences?locale=en&fontSize=large&redirectTo=/', cookie)
    expect(preferences.status).toBe(302)
    expect(preferences.headers.getSetCookie()).toEqual([])
  })

  it('lets the app’s own Origin through', async () => {
    const response = await postForm('/preferences', { locale: 'en', redirectTo: '/login' })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/login')
    expect(response.headers.getSetCookie().some((l) => l.startsWith('lang='))).toBe(true)
  })
})

describe('security headers on every kind of response', () => {
  const HSTS = 'max-age=31536000; includeSubDomains'

  /**
   * A header's values: a route that sets a header the server also sets (spreadsheets set nosniff
   * and no-store themselves) arrives with both, joined by a comma, which browsers read as one.
   * Each value must be the expected one, so a conflicting value (`no-store, max-age=3600`) fails.
   */
  const only = (h: Headers, name: string) => {
    const values = [...new Set((h.get(name) ?? '').split(',').map((v) => v.trim()))]
    return values.length === 1 ? values[0] : values.join(', ')
  }

  function expectHeaders(response: Response, what: string, { signedIn }: { signedIn: boolean }): string {
    const h = response.headers
    const csp = h.get('content-security-policy') ?? ''
    const nonce = /script-src 'nonce-([A-Za-z0-9+/=]{16,})'/.exec(csp)?.[1]
    expect(nonce, `${what}: CSP ${csp}`).toBeDefined()
    for (const directive of [
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "default-src 'self'",
      "form-action 'self'",
    ]) {
      expect(csp, what).toContain(directive)
    }
    expect(csp, what).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/)
    expect(only(h, 'x-content-type-options'), what).toBe('nosniff')
    expect(only(h, 'referrer-policy'), what).toBe('same-origin')
    expect(only(h, 'x-frame-options'), what).toBe('DENY')
    expect(h.get('strict-transport-security'), what).toBe(HSTS)
    expect(h.get('x-powered-by'), what).toBeNull()
    expect(h.get('server'), what).toBeNull()
    if (signedIn) expect(only(h, 'cache-control'), what).toBe('no-store')
    return nonce!
  }

  it('sends them on pages, data, resource routes, exports, 404s, refusals and assets', async () => {
    const staff = await mintSession('hd.staff')
    const mediator = await mintSession('mediator')
    const cases: [string, () => Promise<Response>, boolean, number][] = [
      ['the sign-in page', () => get('/login'), false, 200],
      ['a signed-in page', () => get('/people', staff), true, 200],
      ['a signed-in page’s data (single fetch)', () => get('/people.data', staff), true, 200],
      ['a resource route', () => get('/healthz'), false, 200],
      ['an .xlsx export', () => get('/library/submissions.xlsx', staff), true, 200],
      ['an .xlsx template', () => get('/experts/import-template', staff), true, 200],
      ['the 404 page, signed out', () => get('/no-such-page'), false, 404],
      ['the 404 page, signed in', () => get('/no-such-page', staff), true, 404],
      ['a 404 record page', () => get('/people/01J00000000000000000000000', staff), true, 404],
      ['a 403 page', () => get('/admin/users', mediator), true, 403],
      ['a redirect to sign in', () => get('/people'), false, 302],
      ['a refused cross-site post', () => postForm('/logout', {}, { origin: 'https://evil.example', cookie: staff }), true, 403],
      [
        'a refused JSON body',
        () => fetch(url('/login'), { method: 'POST', headers: { Origin: origin(), 'Content-Type': 'application/json' }, body: '{}' }),
        false,
        415,
      ],
      ['a static file', () => get('/favicon.ico'), false, 200],
    ]
    for (const [what, request, signedIn, status] of cases) {
      const response = await request()
      expect(response.status, what).toBe(status)
      expectHeaders(response, what, { signedIn })
      await response.body?.cancel()
    }
  })

  it('sends exports as attachments with an encoded file name, never cached', async () => {
    const staff = await mintSession('hd.staff')
    // Exports built in the request. The registers and the case and organisation lists run as
    // background exports; their downloads are checked in exports.e2e.ts and exports-lists.e2e.ts.
    for (const path of ['/library/submissions.xlsx', '/cases/subsidies.xlsx']) {
      const response = await get(path, staff)
      expect(response.status, path).toBe(200)
      expect(response.headers.get('content-type'), path).toContain('spreadsheetml')
      expect(response.headers.get('content-disposition'), path).toMatch(
        /^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''[A-Za-z0-9%._-]+$/,
      )
      expect(only(response.headers, 'cache-control'), path).toBe('no-store')
      await response.body?.cancel()
    }
  })

  it('gives every page a fresh nonce, carried by each of its scripts', async () => {
    const staff = await mintSession('hd.staff')
    const first = await get('/people', staff)
    const second = await get('/people', staff)
    const nonce = expectHeaders(first, 'first', { signedIn: true })
    expect(expectHeaders(second, 'second', { signedIn: true })).not.toBe(nonce)
    const html = await first.text()
    await second.body?.cancel()
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])
    expect(scripts.length).toBeGreaterThan(0)
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`)
  })
})
