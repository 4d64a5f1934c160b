/** Small response helpers, so routes speak in outcomes rather than status codes. */

export function notFound(): never {
  throw new Response('Not Found', { status: 404 })
}

export function forbidden(): never {
  throw new Response('Forbidden', { status: 403 })
}

export function badRequest(): never {
  throw new Response('Bad Request', { status: 400 })
}

const REDIRECT_BASE = 'http://redirect.invalid'

/**
 * Only same-site relative paths: `/x` but not `//evil.example`, `/\evil.example`, or any of those
 * hidden behind control characters or spaces, which browsers strip from URLs (`/\t/evil.example`
 * arrives as `//evil.example`). The path is resolved as a browser would and must stay on this site.
 */
export function safeRedirectPath(target: unknown, fallback = '/'): string {
  if (typeof target !== 'string' || !target.startsWith('/') || target.length > 2000) return fallback
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
  if (/[\u0000-\u0020\u007f\\]/.test(target)) return fallback
  if (target.startsWith('//')) return fallback
  let url: URL
  try {
    url = new URL(target, REDIRECT_BASE)
  } catch {
    return fallback
  }
  // `/.//x` normalises to `//x`: check what would actually be sent.
  if (url.origin !== REDIRECT_BASE || url.pathname.startsWith('//')) return fallback
  return `${url.pathname}${url.search}${url.hash}`
}
