// Tiaojie's HTTP server: Express in front of Remix, so request-level protections (origin check,
// body limits, security headers, client address) apply to every route in one place.
// `npm start` serves the production build; `npm run dev` serves through Vite's dev middleware.
import path from 'node:path'
import { createRequestHandler } from '@remix-run/express'
import express from 'express'
import { clientAddress, limitBodies, requireFormBodies, requireSameOrigin, securityHeaders } from './security.js'

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
  app.use(express.static('build/client', { maxAge: '1h', index: false }))
}

const build = vite ? () => vite.ssrLoadModule('virtual:remix/server-build') : await import(path.resolve('build/server/index.js'))

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

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => server.close(() => process.exit(0)))
}
