// Tiaojie's HTTP server: Express in front of Remix, so request-level protections (origin check,
// body limits, security headers, client address) apply to every route in one place.
// `npm start` serves the production build; `npm run dev` serves through Vite's dev middleware.
import path from 'node:path'
import { createRequestHandler } from '@remix-run/express'
import express from 'express'
import { clientAddress, limitBodies, requireFormBodies, requireSameOrigin, securityHeaders } from './security.js'
import { runPrimary, shouldFork } from './cluster.js'
import { installForServer as cacheRouteMatches } from './route-match-cache.js'
import { withUnavailablePages } from './unavailable.js'

// WEB_CONCURRENCY > 1: this process only supervises that many app processes (server/cluster.js).
if (shouldFork()) await runPrimary()

// Before the app loads: route matching is memoised (server/route-match-cache.js).
cacheRouteMatches()

const production = process.env.NODE_ENV === 'production'
const dev = process.argv.includes('--dev')
const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '127.0.0.1'
// Without APP_ORIGIN (development and the demo), both local spellings of this server are ours;
// production requires APP_ORIGIN (app/lib/env.server.ts) and accepts exactly that origin.
const appOrigins = process.env.APP_ORIGIN ? [process.env.APP_ORIGIN] : [`http://localhost:${port}`, `http://127.0.0.1:${port}`]
const trustProxyHops = Number(process.env.TRUST_PROXY_HOPS ?? 0)

const vite = dev ? await import('vite').then((v) => v.createServer({ server: { middlewareMode: true } })) : undefined

const app = express()
app.disable('x-powered-by')
app.set('trust proxy', trustProxyHops)
app.use(securityHeaders({ production, dev }))
app.use(clientAddress())
app.use(requireSameOrigin(appOrigins))
app.use(requireFormBodies())
app.use(
  limitBodies({
    maxBody: Number(process.env.MAX_BODY_BYTES ?? 1_000_000),
    maxUpload: Number(process.env.MAX_UPLOAD_BYTES ?? 10_000_000),
  }),
)

if (vite) {
  app.use(vite.middlewares)
} else {
  // Fingerprinted build assets can be cached for good; everything else in public/ briefly.
  app.use('/assets', express.static('build/client/assets', { immutable: true, maxAge: '1y', index: false }))
  // Public files have an extension; pages do not, and need no look-up on disk (a stat per page).
  const publicFiles = express.static('build/client', { maxAge: '1h', index: false })
  app.use((req, res, next) => (/\.[^/]*$/.test(req.path) ? publicFiles(req, res, next) : next()))
}

// Loaders and actions that cannot reach the database answer 503, not 500 (server/unavailable.js).
const build = vite
  ? () => vite.ssrLoadModule('virtual:remix/server-build').then(withUnavailablePages)
  : withUnavailablePages(await import(path.resolve('build/server/index.js')))

// Background work of the app (the webhook delivery worker), once per process; safe with several
// app servers on one database (app/entry.server.tsx, docs/webhooks.md).
;(vite ? await build() : build).entry.module.startBackgroundJobs?.()

app.all(
  '*',
  createRequestHandler({
    build,
    // The built app always runs in production mode (generic errors, no stack traces); NODE_ENV only
    // decides whether secrets must be configured and cookies must be Secure.
    mode: dev ? 'development' : 'production',
    getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce }),
  }),
)

const server = app.listen(port, host, () => {
  console.log(`Tiaojie listening on http://${host === '127.0.0.1' ? 'localhost' : host}:${port}`)
})

// Graceful shutdown (docs/decisions/027-failure-behaviour.md): stop accepting connections, let the
// requests in flight finish (idle keep-alive connections are closed as they fall idle), close the
// database pool, exit 0. Whatever is still running after SHUTDOWN_GRACE_MS is cut off, exit 1.
const graceMs = Number(process.env.SHUTDOWN_GRACE_MS ?? 10_000)
let stopping = false

async function shutdown(signal) {
  if (stopping) return
  stopping = true
  console.log(`${signal}: no new connections; finishing the requests in flight (at most ${graceMs / 1000} s)`)
  const drained = new Promise((resolve) => server.close(resolve))
  const idle = setInterval(() => server.closeIdleConnections(), 100)
  server.closeIdleConnections()
  let cutOff = false
  const deadline = setTimeout(() => {
    cutOff = true
    server.closeAllConnections()
  }, graceMs)
  await drained
  clearInterval(idle)
  clearTimeout(deadline)
  try {
    // The built entry hands over the app's database handle (app/entry.server.tsx).
    if (!vite) build.entry.module.stopBackgroundJobs?.()
    if (!vite) await build.entry.module.closeDatabase?.()
  } catch (error) {
    console.error('closing the database pool failed', error)
  }
  if (cutOff) console.error(`shutdown: requests still running after ${graceMs / 1000} s were cut off`)
  else console.log('shutdown: requests finished, database pool closed')
  process.exit(cutOff ? 1 : 0)
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => void shutdown(signal))
}
