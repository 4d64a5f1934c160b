// While the database is down every loader and action fails with a connection error. Remix would
// answer those with its generic 500; this wraps each route's loader and action once, at start-up,
// so such an error is thrown on as a 503 Response instead: Remix then renders the route's error
// boundary with the localised "temporarily unavailable" page (error.503 in the catalogs) for
// documents and client navigations alike, and the entry adds Retry-After
// (docs/decisions/027-failure-behaviour.md).
import { isDatabaseUnavailable } from './database-errors.js'

/** Seconds a client is asked to wait before retrying; a MariaDB restart takes a few. */
export const RETRY_AFTER_SECONDS = 10
const LOG_EVERY_MS = 10_000

let lastLogged = 0

function unavailable(error) {
  // One line per ten seconds while the outage lasts, not one per request.
  const now = Date.now()
  if (now - lastLogged > LOG_EVERY_MS) {
    lastLogged = now
    console.warn(`database unavailable (${error?.code ?? error?.errno ?? error?.message ?? 'unknown'}): answering 503`)
  }
  return new Response(null, { status: 503, statusText: 'Service Unavailable', headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } })
}

function guard(handler) {
  return async function guarded(args) {
    try {
      return await handler(args)
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw unavailable(error)
      throw error
    }
  }
}

const wrapped = new WeakMap()

/** The same server build, with every loader and action answering 503 while the database is unreachable. */
export function withUnavailablePages(build) {
  const known = wrapped.get(build)
  if (known) return known
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => {
      const module = { ...route.module }
      if (module.loader) module.loader = guard(module.loader)
      if (module.action) module.action = guard(module.action)
      return [id, { ...route, module }]
    }),
  )
  const result = { ...build, routes }
  wrapped.set(build, result)
  return result
}
