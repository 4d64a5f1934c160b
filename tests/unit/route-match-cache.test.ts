/**
 * The server's route-match cache (server/route-match-cache.js) must answer exactly what
 * @remix-run/router's own matchRoutes answers, for the tree the caller passes, with objects the
 * caller may keep or change.
 */
import { type AgnosticRouteObject, matchRoutes as routerMatchRoutes } from '@remix-run/router'
import { describe, expect, it } from 'vitest'
import { installRouteMatchCache, MAX_ENTRIES } from '../../server/route-match-cache.js'

type TestRoute = AgnosticRouteObject

/** A tree shaped like Remix's: root, a pathless layout, index, static, dynamic, optional and splat routes. */
function tree(): TestRoute[] {
  return [
    {
      id: 'root',
      path: '',
      children: [
        { id: 'routes/login', path: 'login' },
        {
          id: 'routes/_app',
          children: [
            { id: 'routes/_app._index', index: true },
            { id: 'routes/_app.people._index', path: 'people', index: true },
            { id: 'routes/_app.people.new', path: 'people/new' },
            { id: 'routes/_app.people.$personId', path: 'people/:personId' },
            { id: 'routes/_app.people.$personId.edit', path: 'people/:personId/edit' },
            { id: 'routes/_app.stats.$area', path: 'stats/:area?' },
            { id: 'routes/_app.Docs', path: 'Docs', caseSensitive: true },
            { id: 'routes/_app.audit[.xlsx]', path: 'audit.xlsx' },
          ],
        },
        { id: 'routes/$', path: '*' },
      ],
    },
  ]
}

const PATHS = [
  '/',
  '/login',
  '/people',
  '/people/',
  '/people/new',
  '/people/01ABC',
  '/people/01ABC/edit',
  '/people/%E7%8E%8B',
  '/stats',
  '/stats/cases',
  '/Docs',
  '/docs',
  '/audit.xlsx',
  '/nowhere/at/all',
  '/people?page=2',
  '/people/01ABC#top',
]

function install() {
  const router = { matchRoutes: routerMatchRoutes }
  installRouteMatchCache(router)
  return router.matchRoutes as typeof routerMatchRoutes
}

/** Matches as plain data, route objects by identity (checked separately). */
function shape(matches: ReturnType<typeof routerMatchRoutes>) {
  return matches?.map((m) => ({ id: m.route.id, params: m.params, pathname: m.pathname, pathnameBase: m.pathnameBase })) ?? null
}

describe('route match cache', () => {
  it('answers what the router answers, first and second time, for strings and locations', () => {
    const cached = install()
    const routes = tree()
    for (const path of PATHS) {
      const expected = shape(routerMatchRoutes(routes, path))
      expect(shape(cached(routes, path)), path).toEqual(expected)
      expect(shape(cached(routes, path)), `${path} again`).toEqual(expected)
      const pathname = path.split(/[?#]/)[0]!
      expect(shape(cached(routes, { pathname })), `${path} as a location`).toEqual(expected)
    }
    expect(shape(cached(routes, '/app/people', '/app'))).toEqual(shape(routerMatchRoutes(routes, '/app/people', '/app')))
    expect(cached(routes, '/people', '/app')).toBeNull()
  })

  it('points matches at the route objects of the tree it was given, in fresh objects', () => {
    const cached = install()
    const first = tree()
    const second = tree()
    const a = cached(first, '/people/01ABC')!
    const b = cached(second, '/people/01ABC')!
    expect(a.at(-1)!.route).toBe(first[0]!.children![1]!.children![3])
    expect(b.at(-1)!.route).toBe(second[0]!.children![1]!.children![3])
    // A caller that changes its matches does not change what the next caller gets.
    ;(a.at(-1)!.params as Record<string, string>).personId = 'changed'
    expect(cached(first, '/people/01ABC')!.at(-1)!.params.personId).toBe('01ABC')
    expect(a[0]).not.toBe(cached(first, '/people/01ABC')![0])
  })

  it('keeps trees that match differently apart', () => {
    const cached = install()
    const routes = tree()
    expect(cached(routes, '/people/new')!.at(-1)!.route.id).toBe('routes/_app.people.new')
    const changed = tree()
    // Same ids, but the new-person route moved: it must not reuse the first tree's answer.
    changed[0]!.children![1]!.children![2]!.path = 'people/create'
    expect(cached(changed, '/people/new')!.at(-1)!.route.id).toBe('routes/_app.people.$personId')
    const insensitive = tree()
    insensitive[0]!.children![1]!.children![6]!.caseSensitive = false
    expect(shape(cached(insensitive, '/docs'))).toEqual(shape(routerMatchRoutes(insensitive, '/docs')))
    expect(shape(cached(routes, '/docs'))).toEqual(shape(routerMatchRoutes(routes, '/docs')))
  })

  it('falls back to the router for trees without ids and stays bounded', () => {
    const cached = install()
    const anonymous = [{ path: 'a' }, { path: 'b/:id' }]
    expect(shape(cached(anonymous as never, '/b/1'))).toEqual(shape(routerMatchRoutes(anonymous, '/b/1')))
    const routes = tree()
    for (let i = 0; i < MAX_ENTRIES + 10; i++) cached(routes, `/people/${i}`)
    expect(cached(routes, '/people/7')!.at(-1)!.params).toEqual({ personId: '7' })
  })

  it('installs once', () => {
    const router = { matchRoutes: routerMatchRoutes }
    const original = installRouteMatchCache(router)
    const wrapper = router.matchRoutes
    expect(installRouteMatchCache(router)).toBe(original)
    expect(router.matchRoutes).toBe(wrapper)
    expect(original).toBe(routerMatchRoutes)
  })
})
