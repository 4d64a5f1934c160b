import type { MetaDescriptor } from '@remix-run/node'
import { DEFAULT_LOCALE, translate, type Locale, type MessageKey, type MessageParams } from './i18n.ts'

interface MatchLike {
  id: string
  data: unknown
}

/** `<title>` for a page, in the reader's language: "页面 · 调解". */
export function pageTitle(matches: MatchLike[], key: MessageKey, params?: MessageParams): MetaDescriptor[] {
  const root = matches.find((m) => m.id === 'root')?.data as { locale?: Locale } | undefined
  const locale = root?.locale ?? DEFAULT_LOCALE
  return [{ title: `${translate(locale, key, params)} · ${translate(locale, 'app.name')}` }]
}

/** For pages whose title is a record's name. */
export function recordTitle(matches: MatchLike[], name: string): MetaDescriptor[] {
  const root = matches.find((m) => m.id === 'root')?.data as { locale?: Locale } | undefined
  return [{ title: `${name} · ${translate(root?.locale ?? DEFAULT_LOCALE, 'app.name')}` }]
}
