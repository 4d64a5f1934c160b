/**
 * The `headers` export of every public directory page: cacheable by a shared proxy unless the
 * response sets a cookie (see directoryCacheHeaders). Pages never read the session, so the same
 * URL in the same language is the same page for everyone.
 */
import type { HeadersFunction } from '@remix-run/node'
import { directoryCacheHeaders } from './model.ts'

export const directoryHeaders: HeadersFunction = ({ loaderHeaders, parentHeaders }) =>
  new Headers(directoryCacheHeaders(parentHeaders.has('Set-Cookie') || loaderHeaders.has('Set-Cookie')))
