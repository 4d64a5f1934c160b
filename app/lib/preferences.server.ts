/** Display preferences kept in cookies: text size (适老化). Language lives in i18n.server.ts. */
import { createCookie } from '@remix-run/node'

export const FONT_SIZES = ['normal', 'large', 'xlarge'] as const
export type FontSize = (typeof FONT_SIZES)[number]

export const fontSizeCookie = createCookie('font_size', { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 24 * 3600 })

export async function getFontSize(request: Request): Promise<FontSize> {
  const value = await fontSizeCookie.parse(request.headers.get('Cookie'))
  return FONT_SIZES.includes(value) ? value : 'normal'
}
