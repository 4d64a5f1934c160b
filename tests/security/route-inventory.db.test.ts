/**
 * Deny by default (security checklist 12): every route module under app/routes is found by glob
 * and its loader and action are called as an anonymous visitor and as every role. A new route is
 * covered the moment it exists; a new public route must be added to PUBLIC_ROUTES on purpose.
 *
 * - Anonymous: every non-public loader and action redirects to /login.
 * - Signed in: every loader and action of a signed-in page asks the authorization module
 *   (requireUser / requirePermission / requireRecordAccess), and never fails with a 500.
 * - A user without grants gets 403 or 404, never data, except on the few pages meant for anyone
 *   signed in (the shell, the workbench and their own account).
 * - Record pages opened by Haidian staff on Chaoyang records answer 404.
 */
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import * as authz from '#app/modules/auth/authz.server.ts'
import { newId } from '#app/lib/ids.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { type World, type WorldUser, buildWorld, call } from './world.ts'

vi.mock('#app/modules/auth/authz.server.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('#app/modules/auth/authz.server.ts')>()
  return {
    ...original,
    requireUser: vi.fn(original.requireUser),
    requirePermission: vi.fn(original.requirePermission),
    requireRecordAccess: vi.fn(original.requireRecordAccess),
  }
})

/** Route modules anyone may use without signing in, each for a stated reason. */
const PUBLIC_ROUTES: Record<string, string> = {
  login: 'the sign-in page',
  'login_.two-factor': 'second sign-in step; opens only with the pending cookie the password step set (its token is the credential)',
  'login_.two-factor-setup':
    'enrolment a role requires between the password and the session; opens only with the pending cookie the password step set',
  logout: 'signing out (ends whatever session the request carries)',
  'setup.$token': 'one-time account set-up link (the token is the credential)',
  healthz: 'load balancer health check, no data',
  preferences: 'language and text size cookies',
  $: 'the 404 page for unknown paths',
  'certificates.$number': 'public verification of a training certificate (masked name only; the QR code points here)',
  'notice.$roundId': 'public 公示 of a grading round in notice or later (names, organisations, grades; no numbers or scores)',
  'notice.$roundId_.object': "public objection form during a round's notice period (throttled per address, one record per submission key)",
  'notice.grade-change.$gradeId': 'public notice of a grade demotion or revocation',
  'grade-certificates.$number':
    'public verification of a grade certificate (standing, grade, name, association, validity; the QR code points here)',
  'api.v1.organisations': 'partner API: authenticated by API credentials, not a session',
  'api.v1.mediators': 'partner API: authenticated by API credentials, not a session',
  'api.v1.experts': 'partner API: authenticated by API credentials, not a session',
  'api.v1.cases': 'partner API: authenticated by API credentials, not a session',
  'api.v1.cases.$id': 'partner API: authenticated by API credentials, not a session',
  'api.v1.oauth.token': 'partner API token endpoint: authenticated by client credentials, not a session',
  'api.v1.$': 'partner API: JSON 404 for unknown API paths, no data',
  'api.v1.openapi[.json]': 'the partner API’s OpenAPI document (describes the API, no data)',
  'api.docs': 'the partner API’s reference page, rendered from the OpenAPI document (no data)',
  directory: 'public directory layout (公开名录): no loader, no data',
  'directory._index': 'public directory of mediation organisations: name, kind, area, address, office line, services, hours',
  'directory.mediators':
    'public directory of graded mediators: only grades a finished 公示 published and still valid, minus fields the mediator hid',
  'directory.experts': 'public directory of experts in office: only the fields the deployment publishes (setting directory.expertFields)',
}

/** Signed-in pages for anyone signed in, whatever their grants. */
const ANY_SIGNED_IN = new Set(['_app', '_app._index', '_app.account', '_app.account_.two-factor'])

interface RouteModule {
  loader?: unknown
  action?: unknown
}

const modules = import.meta.glob<RouteModule>(['../../app/routes/**/*.{ts,tsx}', '!**/*.test.{ts,tsx}'], { eager: true })

const routes = Object.entries(modules)
  .map(([file, module]) => ({
    id: file
      .replace(/^.*app\/routes\//, '')
      .replace(/\.tsx?$/, '')
      .replace(/\/route$/, ''),
    module,
  }))
  .sort((a, b) => a.id.localeCompare(b.id))

const signedInRoutes = routes.filter((r) => !Object.hasOwn(PUBLIC_ROUTES, r.id))

/** Partner API routes that take no API credentials: the token endpoint, the API's 404, its OpenAPI document. */
const API_WITHOUT_CREDENTIALS = new Set(['api.v1.oauth.token', 'api.v1.$', 'api.v1.openapi[.json]'])
const apiRoutes = routes.filter((r) => r.id.startsWith('api.v1.') && !API_WITHOUT_CREDENTIALS.has(r.id))

let world: World

function paramValue(name: string): string {
  switch (name) {
    case 'orgId':
      return world.orgs.cyCommittee
    case 'personId':
      return world.people.cyMediator.id
    case 'userId':
      return world.users.cyStaff.id
    case 'token':
      return 'not-a-real-token'
    default:
      return newId()
  }
}

/** The URL and params Remix would match for a flat-routes file name. */
function requestFor(id: string): { path: string; params: Record<string, string> } {
  const params: Record<string, string> = {}
  const segments: string[] = []
  for (const raw of id.replace(/[[\]]/g, '').split('.')) {
    const segment = raw.endsWith('_') && raw.length > 1 ? raw.slice(0, -1) : raw
    if (segment === '_index' || (segment.startsWith('_') && segment.length > 1)) continue
    if (segment === '$') {
      params['*'] = 'no-such-page'
      segments.push('no-such-page')
    } else if (segment.startsWith('$')) {
      const value = paramValue(segment.slice(1))
      params[segment.slice(1)] = value
      segments.push(value)
    } else {
      segments.push(segment)
    }
  }
  return { path: `/${segments.join('/')}`, params }
}

const USERS: WorldUser[] = [
  'admin',
  'securityAdmin',
  'auditor',
  'bjStaff',
  'hdStaff',
  'cyStaff',
  'hdAssoc',
  'hdManager',
  'mediator',
  'expert',
  'reviewer',
  'noGrants',
]

const authzCalls = () =>
  vi.mocked(authz.requireUser).mock.calls.length +
  vi.mocked(authz.requirePermission).mock.calls.length +
  vi.mocked(authz.requireRecordAccess).mock.calls.length

beforeAll(async () => {
  world = await buildWorld(testDb())
})

beforeEach(() => {
  vi.mocked(authz.requireUser).mockClear()
  vi.mocked(authz.requirePermission).mockClear()
  vi.mocked(authz.requireRecordAccess).mockClear()
})

describe(`route inventory (${testDialect()})`, () => {
  it('finds the route modules, and every route outside the signed-in shell is a listed public one', () => {
    expect(routes.length).toBeGreaterThan(15)
    for (const id of ['_app.orgs._index', '_app.people.$personId', '_app.audit', 'login']) {
      expect(routes.map((r) => r.id)).toContain(id)
    }
    const unlisted = signedInRoutes.filter((r) => !r.id.startsWith('_app')).map((r) => r.id)
    expect(unlisted, 'routes outside _app must be listed in PUBLIC_ROUTES with a reason').toEqual([])
  })

  it.each(signedInRoutes.map((r) => [r.id, r] as const))('%s: anonymous visitors are sent to /login', async (_id, route) => {
    const { path, params } = requestFor(route.id)
    for (const [kind, handler] of [
      ['loader', route.module.loader],
      ['action', route.module.action],
    ] as const) {
      if (!handler) continue
      const outcome = await call(handler, path, { params, ...(kind === 'action' ? { form: { intent: 'probe' } } : {}) })
      expect(outcome.status, `${kind} of ${route.id}`).toBeOneOf([302, 303])
      expect(outcome.location, `${kind} of ${route.id}`).toMatch(/^\/login(\?|$)/)
      expect(outcome.data).toBeNull()
    }
  })

  it.each(signedInRoutes.map((r) => [r.id, r] as const))(
    '%s: asks the authorization module for every role, never fails',
    async (_id, route) => {
      const { path, params } = requestFor(route.id)
      for (const user of USERS) {
        for (const [kind, handler] of [
          ['loader', route.module.loader],
          ['action', route.module.action],
        ] as const) {
          if (!handler) continue
          const before = authzCalls()
          const outcome = await call(handler, path, {
            params,
            cookie: world.users[user].cookie,
            ...(kind === 'action' ? { form: { intent: 'probe' } } : {}),
          })
          const what = `${kind} of ${route.id} as ${user}`
          expect(authzCalls(), `${what} did not call requireUser/requirePermission/requireRecordAccess`).toBeGreaterThan(before)
          expect(outcome.status, what).toBeLessThan(500)
          // Signed-in users are never bounced to the sign-in page.
          expect(outcome.location ?? '', what).not.toMatch(/^\/login/)
        }
      }
    },
    // Every role in turn, loader and action: a page that compiles content on first use (drills)
    // can pass 15 s on a busy machine with MariaDB.
    60_000,
  )

  it.each(signedInRoutes.filter((r) => !ANY_SIGNED_IN.has(r.id)).map((r) => [r.id, r] as const))(
    '%s: a user with no grants gets 403 or 404, never data',
    async (_id, route) => {
      const { path, params } = requestFor(route.id)
      for (const [kind, handler] of [
        ['loader', route.module.loader],
        ['action', route.module.action],
      ] as const) {
        if (!handler) continue
        const outcome = await call(handler, path, {
          params,
          cookie: world.users.noGrants.cookie,
          ...(kind === 'action' ? { form: { intent: 'probe' } } : {}),
        })
        expect(outcome.status, `${kind} of ${route.id}`).toBeOneOf([403, 404])
        expect(outcome.thrown, `${kind} of ${route.id}`).toBe(true)
        expect(outcome.data).toBeNull()
      }
    },
  )

  it('answers 404 on every record page when Haidian staff open a Chaoyang record', async () => {
    const recordRoutes = signedInRoutes.filter((r) => /\$(orgId|personId)/.test(r.id))
    expect(recordRoutes.length).toBeGreaterThanOrEqual(4)
    for (const route of recordRoutes) {
      const { path, params } = requestFor(route.id)
      const outcome = await call(route.module.loader, path, { params, cookie: world.users.hdStaff.cookie })
      expect(outcome.status, route.id).toBe(404)
      expect(outcome.data).toBeNull()
    }
  })

  // The partner API is listed above as public (no session), but it is not open: every API route
  // but these few must refuse a request without API credentials, and a browser's session cookie
  // is not one (the API skips the Origin check because it never reads cookies).
  it.each(apiRoutes.map((r) => [r.id, r] as const))(
    '%s: answers 401 without API credentials, even to a signed-in browser',
    async (_id, route) => {
      const { path, params } = requestFor(route.id)
      for (const cookie of [undefined, world.users.admin.cookie, world.users.bjStaff.cookie]) {
        for (const [kind, handler] of [
          ['loader', route.module.loader],
          ['action', route.module.action],
        ] as const) {
          if (!handler) continue
          const outcome = await call(handler, path, { params, cookie, ...(kind === 'action' ? { method: 'POST' } : {}) })
          const what = `${kind} of ${route.id} ${cookie ? 'with a session cookie' : 'anonymously'}`
          // A read-only resource refuses other methods first (405), which gives nothing away either.
          expect(outcome.status, what).toBeOneOf(kind === 'loader' ? [401] : [401, 405])
          expect(outcome.data, what).toBeNull()
        }
      }
    },
  )
})
