// Remembers route matches on the server (docs/decisions/031-load-test-findings.md).
//
// @remix-run/router 1.x flattens, ranks and compiles (one RegExp per branch) the whole route tree
// on every `matchRoutes` call, and a Remix v2 document request calls it four to five times (the
// request handler, the static handler, <RemixServer>'s route rendering, the lazy route discovery
// manifest). With Tiaojie's ~150 routes that was a fifth of the server's CPU time under load.
// Remix v2 has no such cache, so the server wraps the exported `matchRoutes`; check whether the
// router caches its flattened branches itself when moving to React Router 7, and drop this then.
//
// A match depends only on the tree's matching fields (ids, paths, index, caseSensitive, order),
// the pathname and the basename, so results are kept under a signature of those. The React side
// builds a new (identical) route tree for every render: cached matches are re-pointed at the
// route objects of the tree the caller passed, and every caller gets fresh match objects.
import { createRequire } from 'node:module'

/** Distinct (tree, basename, pathname) results kept; the map starts over when full. */
export const MAX_ENTRIES = 5000

/**
 * Wraps `router.matchRoutes` (the CommonJS exports object of @remix-run/router, which Remix's
 * server runtime, @remix-run/react and react-router all call through at call time). Returns the
 * original function, for tests.
 */
export function installRouteMatchCache(router) {
  if (router.matchRoutes.uncached) return router.matchRoutes.uncached
  const original = router.matchRoutes
  const trees = new WeakMap()
  // Signatures are long (the whole tree): keys carry a short number per distinct signature.
  const signatures = new Map()
  let results = new Map()

  function treeOf(routes) {
    let tree = trees.get(routes)
    if (tree !== undefined) return tree
    const byId = new Map()
    const parts = []
    const walk = (list) => {
      for (const route of list) {
        if (typeof route.id !== 'string' || byId.has(route.id)) return false
        byId.set(route.id, route)
        parts.push(route.id, '\u0001', route.path ?? '', '\u0001', route.index ? 'i' : '', route.caseSensitive ? 'c' : '')
        if (route.children?.length) {
          parts.push('(')
          if (!walk(route.children)) return false
          parts.push(')')
        }
        parts.push('\u0002')
      }
      return true
    }
    if (walk(routes)) {
      const signature = parts.join('')
      // A development server gets a new tree per edit: start over now and then.
      if (signatures.size >= 100) {
        signatures.clear()
        results = new Map()
      }
      let number = signatures.get(signature)
      if (number === undefined) {
        number = signatures.size
        signatures.set(signature, number)
      }
      tree = { number, byId }
    } else tree = null
    trees.set(routes, tree)
    return tree
  }

  function matchRoutes(routes, locationArg, basename = '/') {
    const tree = Array.isArray(routes) ? treeOf(routes) : null
    const pathname = typeof locationArg === 'string' ? locationArg.split(/[?#]/, 1)[0] : locationArg?.pathname
    if (!tree || typeof pathname !== 'string') return original(routes, locationArg, basename)
    const key = `${tree.number}\u0000${basename}\u0000${pathname}`
    let found = results.get(key)
    if (found === undefined) {
      const matches = original(routes, locationArg, basename)
      found = matches
        ? matches.map((m) => ({ id: m.route.id, params: m.params, pathname: m.pathname, pathnameBase: m.pathnameBase }))
        : null
      if (results.size >= MAX_ENTRIES) results = new Map()
      results.set(key, found)
    }
    if (found === null) return null
    return found.map((m) => ({
      params: { ...m.params },
      pathname: m.pathname,
      pathnameBase: m.pathnameBase,
      route: tree.byId.get(m.id),
    }))
  }
  matchRoutes.uncached = original
  router.matchRoutes = matchRoutes
  return original
}

/** The @remix-run/router instance the server runtime and the React renderer share. */
export function installForServer() {
  const require = createRequire(import.meta.url)
  return installRouteMatchCache(require('@remix-run/router'))
}
