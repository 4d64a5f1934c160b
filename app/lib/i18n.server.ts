import { createCookie } from '@remix-run/node'
import { DEFAULT_LOCALE, isLocale, type Locale } from './i18n.ts'

export const localeCookie = createCookie('lang', {
  path: '/',
  sameSite: 'lax',
  httpOnly: true,
  maxAge: 365 * 24 * 3600,
})

/** The cookie wins; otherwise the first supported language in Accept-Language; otherwise zh-CN. */
export async function getLocale(request: Request): Promise<Locale> {
  const fromCookie = await localeCookie.parse(request.headers.get('Cookie'))
  if (isLocale(fromCookie)) return fromCookie
  const accepted = (request.headers.get('Accept-Language') ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', q] = part.trim().split(';q=')
      return { tag: tag.toLowerCase(), q: q ? Number(q) : 1 }
    })
    .sort((a, b) => b.q - a.q)
  for (const { tag } of accepted) {
    if (tag.startsWith('zh')) return 'zh-CN'
    if (tag.startsWith('en')) return 'en'
  }
  return DEFAULT_LOCALE
}
