import { useRouteLoaderData } from '@remix-run/react'
import { useMemo, useSyncExternalStore } from 'react'
import { catalogVersion, subscribeCatalogs } from '#app/lib/catalogs.ts'
import {
  DEFAULT_LOCALE,
  formatDate,
  formatDateTime,
  formatNumber,
  translate,
  translateRef,
  type Locale,
  type MessageKey,
  type MessageParams,
} from '#app/lib/i18n.ts'

export function useLocale(): Locale {
  const data = useRouteLoaderData('root') as { locale?: Locale } | undefined
  return data?.locale ?? DEFAULT_LOCALE
}

export interface Translator {
  (key: MessageKey, params?: MessageParams): string
  /** Translates a message reference from the server (`key` or `key?param=value`). */
  ref: (ref: string) => string
  date: (value: string | null | undefined) => string
  dateTime: (value: string | null | undefined) => string
  number: (value: number) => string
  locale: Locale
}

export function useT(): Translator {
  const locale = useLocale()
  // The browser may receive the rest of the catalog after a render (lib/catalogs.client.ts).
  const version = useSyncExternalStore(subscribeCatalogs, catalogVersion, catalogVersion)
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new translator when the catalog grew
  return useMemo(() => translatorFor(locale), [locale, version])
}

export function translatorFor(locale: Locale): Translator {
  const t = ((key: MessageKey, params?: MessageParams) => translate(locale, key, params)) as Translator
  t.ref = (ref) => translateRef(locale, ref)
  t.date = (value) => formatDate(locale, value)
  t.dateTime = (value) => formatDateTime(locale, value)
  t.number = (value) => formatNumber(locale, value)
  t.locale = locale
  return t
}
