// Request-level protections that must hold for every route, applied before Remix sees a request
// (docs/decisions/006-http-server.md). Plain JavaScript so `npm start` needs no compiler.
import crypto from 'node:crypto'

export const CLIENT_ADDRESS_HEADER = 'x-tiaojie-client-address'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

// These few pages are answered before the app (and its message catalogs) is involved, so they
// carry both languages on one page.
function plainPage(status, zh, en) {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${status}</title></head><body style="font-family:sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.6"><h1>${zh}</h1><p lang="en">${en}</p><p><a href="/">返回首页 · Home</a></p></body></html>`
}

export function clientAddress() {
  return (req, _res, next) => {
    // Overwrite whatever the client sent: only this server says where a request came from.
    req.headers[CLIENT_ADDRESS_HEADER] = req.ip ?? req.socket.remoteAddress ?? ''
    next()
  }
}

/**
 * The partner API (docs/decisions/020-partner-api.md). It authenticates with bearer credentials
 * only and never reads a cookie, so a forged cross-site request carries nothing it would accept:
 * that, and only that, is why the browser-oriented Origin and form-body checks do not apply to it.
 */
export function isApiPath(path) {
  // Judge the path Remix will route: the URL parser resolves `%2e%2e` segments, so a raw
  // `/api/v1/%2e%2e/%2e%2e/logout` is `/logout` there and must not skip the page checks.
  let routed
  try {
    routed = new URL(path, 'http://api.invalid').pathname
  } catch {
    return false
  }
  return routed === '/api/v1' || routed.startsWith('/api/v1/')
}

function apiErrorBody(code, message) {
  return { error: { code, message, fields: [{ field: '', code: 'too_big', message }] } }
}

/** Every state-changing request must carry an Origin equal to one of the app's configured origins. */
export function requireSameOrigin(appOrigins) {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method) || isApiPath(req.path)) return next()
    if (appOrigins.includes(req.headers.origin)) return next()
    res
      .status(403)
      .type('html')
      .send(plainPage(403, '请求来源无效，操作已被拒绝', 'This request did not come from Tiaojie’s own pages and was refused.'))
  }
}

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data']

/**
 * Pages take HTML form posts only. Anything else (JSON, XML, …) is refused with 415 before an
 * action tries to read it as a form, so a crafted request gets a clear answer, not a 500.
 */
export function requireFormBodies() {
  return (req, res, next) => {
    // The API reads JSON and answers a wrong type with its own error object (415).
    if (SAFE_METHODS.has(req.method) || isApiPath(req.path)) return next()
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
    const length = Number(req.headers['content-length'] ?? 0)
    if (FORM_TYPES.includes(type) || (!type && length === 0)) return next()
    res
      .status(415)
      .type('html')
      .send(plainPage(415, '不支持的提交格式', 'This kind of request body is not accepted here; submit the form instead.'))
  }
}

/** Caps bodies by Content-Length (multipart uploads get the larger cap); chunked bodies are refused. */
export function limitBodies({ maxBody, maxUpload }) {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next()
    const type = req.headers['content-type'] ?? ''
    const cap = type.startsWith('multipart/form-data') ? maxUpload : maxBody
    const length = req.headers['content-length']
    if (length === undefined) {
      if (req.headers['transfer-encoding']) {
        return res
          .status(411)
          .type('html')
          .send(plainPage(411, '请求缺少长度信息', 'Length required.'))
      }
      return next()
    }
    if (!/^\d+$/.test(length) || Number(length) > cap) {
      if (isApiPath(req.path)) {
        return res.status(400).json(apiErrorBody('payload_too_large', `The body is larger than ${cap} bytes.`))
      }
      return res
        .status(413)
        .type('html')
        .send(plainPage(413, '提交的内容超过了允许的大小', 'What you sent is larger than allowed.'))
    }
    next()
  }
}

/** Security headers on every response, with a fresh CSP nonce handed to Remix through the load context. */
export function securityHeaders({ production, dev }) {
  return (req, res, next) => {
    const nonce = crypto.randomBytes(16).toString('base64')
    res.locals.cspNonce = nonce
    const csp = [
      "default-src 'self'",
      // Vite's dev server needs eval and inline styles for hot reloading; the built app needs neither.
      `script-src 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
      `style-src 'self'${dev ? " 'unsafe-inline'" : ` 'nonce-${nonce}'`}`,
      // Style attributes (React's style prop) cannot run code.
      "style-src-attr 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self'",
      `connect-src 'self'${dev ? ' ws://127.0.0.1:* ws://localhost:*' : ''}`,
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "object-src 'none'",
    ].join('; ')
    res.setHeader('Content-Security-Policy', csp)
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'same-origin')
    res.setHeader('X-Frame-Options', 'DENY')
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()')
    if (production) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
    // Anything served to a signed-in browser is personal: pages, data and exports are never cached.
    if (/(^|;\s*)(__Host-)?tiaojie_session=/.test(req.headers.cookie ?? '') && !req.path.startsWith('/assets/')) {
      res.setHeader('Cache-Control', 'no-store')
    }
    next()
  }
}
