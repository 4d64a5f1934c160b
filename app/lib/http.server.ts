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

/** Only same-site relative paths: `/x` but not `//evil.example` or `/\evil.example`. */
export function safeRedirectPath(target: unknown, fallback = '/'): string {
  if (typeof target !== 'string') return fallback
  if (!target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return fallback
  return target
}
